import { describe, expect, it } from 'vitest';
import { nextFlushDelayMs } from '../../src/service/jobs/progress-flusher.js';

describe('progress flush pacing', () => {
  it('a quick flush keeps the configured interval', () => {
    expect(nextFlushDelayMs(100, 0)).toBe(100);
    expect(nextFlushDelayMs(100, 2)).toBe(100);
  });

  it('a flush that kept the event loop busy stretches the interval so the store takes about a fiftieth of it', () => {
    expect(nextFlushDelayMs(100, 6)).toBeCloseTo(300);
  });

  it('the stretch is bounded: progress reaches the store at least every ten intervals', () => {
    expect(nextFlushDelayMs(100, 5_000)).toBe(1_000);
  });
});
