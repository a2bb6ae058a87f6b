import { describe, expect, it } from 'vitest';
import { formatDurationMs, formatEta, formatRate } from '../../src/format.js';

describe('human formats', () => {
  it('durations', () => {
    expect(formatDurationMs(4_400)).toBe('4s');
    expect(formatDurationMs(200_000)).toBe('3m 20s');
    expect(formatDurationMs(3_725_000)).toBe('1h 02m');
  });

  it('rates carry the unit and switch to per minute when slow', () => {
    expect(formatRate(1234, 'rows')).toBe('1.23k rows/s');
    expect(formatRate(12.5, 'files')).toBe('12.5 files/s');
    expect(formatRate(0.05, 'files')).toBe('3 files/min');
    expect(formatRate(null, 'rows')).toBe('');
  });

  it('the ETA counts down from when it was estimated and shows its interval', () => {
    const eta = { remainingMs: 200_000, low: 170_000, high: 250_000, confidence: 0.8, method: 'ewma' as const, at: 10_000 };
    expect(formatEta(eta, 10_000)).toBe('~3m 20s (2m 50s–4m 10s)');
    expect(formatEta(eta, 30_000)).toBe('~3m 00s (2m 30s–3m 50s)');
    expect(formatEta(null, 0)).toBe('');
  });
});
