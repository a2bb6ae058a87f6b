import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/live/backoff.js';

describe('backoffDelayMs (exponential, full jitter)', () => {
  const options = { baseMs: 100, maxMs: 5_000 };

  it('the cap doubles with each attempt up to the maximum', () => {
    const ceiling = (attempt: number) => backoffDelayMs(attempt, options, () => 0.999_999);
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(ceiling)).toEqual([99, 199, 399, 799, 1599, 3199, 4999, 4999]);
  });

  it('full jitter: the delay is uniform between zero and the cap', () => {
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(400);
    let random = 1;
    const spread = Array.from({ length: 1000 }, () => backoffDelayMs(4, options, () => ((random = (random * 16807) % 2147483647) / 2147483647)));
    expect(Math.min(...spread)).toBeLessThan(200);
    expect(Math.max(...spread)).toBeGreaterThan(1400);
    expect(Math.max(...spread)).toBeLessThan(1600);
  });

  it('huge attempt counts do not overflow to Infinity or NaN', () => {
    expect(backoffDelayMs(10_000, options, () => 0.5)).toBe(2_500);
    expect(backoffDelayMs(-3, options, () => 0.5)).toBe(50);
  });
});
