import { describe, expect, it } from 'vitest';
import { formatDuration, formatPreciseDuration } from '../src/format/duration';
import { describeEta, formatEtaRange } from '../src/format/eta';
import { formatAmount, formatRate } from '../src/format/rate';

const eta = (remainingMs: number, low: number, high: number, at = 0) => ({ remainingMs, low, high, confidence: 0.8, method: 'ewma' as const, at });

describe('ETA with its range', () => {
  it('reads "about 4 min, 3–6" for minutes', () => {
    expect(formatEtaRange(eta(4 * 60_000, 3 * 60_000, 6 * 60_000), 0)).toBe('about 4 min, 3–6');
  });

  it('counts down from when the server estimated, never below zero', () => {
    expect(formatEtaRange(eta(4 * 60_000, 3 * 60_000, 6 * 60_000), 60_000)).toBe('about 3 min, 2–5');
    expect(formatEtaRange(eta(10_000, 5_000, 20_000), 60_000)).toBe('almost done');
  });

  it('uses seconds under a minute and a half, hours beyond ninety minutes, and drops a tight range', () => {
    expect(formatEtaRange(eta(40_000, 30_000, 55_000), 0)).toBe('about 40 s, 30–55');
    expect(formatEtaRange(eta(2.5 * 3_600_000, 2 * 3_600_000, 3.2 * 3_600_000), 0)).toBe('about 2.5 h, 2–3.2');
    expect(formatEtaRange(eta(5 * 60_000, 5 * 60_000, 5 * 60_000 + 10_000), 0)).toBe('about 5 min');
    expect(formatEtaRange(null, 0)).toBe('—');
  });

  it('spells the range out for screen readers', () => {
    expect(describeEta(eta(4 * 60_000, 3 * 60_000, 6 * 60_000), 0)).toBe('about 4 minutes, between 3 and 6');
  });
});

describe('rates in the job unit', () => {
  it('keeps the unit name per second, per minute when slow, per hour when very slow', () => {
    expect(formatRate(1240, 'rows')).toBe('1,240 rows/s');
    expect(formatRate(0.2, 'files')).toBe('12 files/min');
    expect(formatRate(0.005, 'videos')).toBe('18 videos/h');
    expect(formatRate(null, 'rows')).toBe('—');
  });

  it('scales byte rates to KB/s, MB/s, GB/s', () => {
    expect(formatRate(8_400_000, 'bytes')).toBe('8.4 MB/s');
    expect(formatRate(2.5, 'MB')).toBe('2.5 MB/s');
    expect(formatRate(1_500, 'MB')).toBe('1.5 GB/s');
  });

  it('keeps a unit named like an Object property ("constructor", "__proto__") as a plain unit, not a byte scale', () => {
    expect(formatRate(1240, 'constructor')).toBe('1,240 constructor/s');
    expect(formatRate(1240, '__proto__')).toBe('1,240 __proto__/s');
    expect(formatRate(0.2, 'Constructor')).toBe('12 Constructor/min');
  });

  it('shows amounts with and without a total', () => {
    expect(formatAmount(1200, 5000, 'rows')).toBe('1,200 / 5,000 rows');
    expect(formatAmount(37, null, 'files')).toBe('37 files');
  });

  it('keeps two decimals under 10, one under 100 and none above, however many amounts it formats', () => {
    expect(formatAmount(3.256, 86.54, 'GB')).toBe('3.26 / 86.5 GB');
    expect(formatAmount(12_345.6, null, null)).toBe('12,346');
    expect(formatAmount(3.256, 86.54, 'GB')).toBe('3.26 / 86.5 GB');
  });
});

describe('durations', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 05 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatPreciseDuration(850)).toBe('850 ms');
    expect(formatPreciseDuration(1_430)).toBe('1.4 s');
  });
});
