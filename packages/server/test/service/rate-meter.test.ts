import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/service/jobs/rate-meter.js';

describe('RateMeter', () => {
  it('is null until two samples span some time, then units per second', () => {
    const meter = new RateMeter();
    expect(meter.ratePerSec()).toBeNull();
    meter.observe(1_000, 10);
    expect(meter.ratePerSec()).toBeNull();
    meter.observe(1_000, 20); // same millisecond: the newest count replaces the sample
    expect(meter.ratePerSec()).toBeNull();
    meter.observe(3_000, 60);
    expect(meter.ratePerSec()).toBe(20); // (60 - 20) units over 2 s
  });

  it('measures over the window only: older samples drop out', () => {
    const meter = new RateMeter(1_000, 64);
    meter.observe(0, 0);
    meter.observe(500, 1_000); // fast start
    for (let t = 600; t <= 5_000; t += 100) meter.observe(t, 1_000 + (t - 500)); // then 1 unit per ms
    expect(meter.ratePerSec()).toBeCloseTo(1_000, 6);
  });

  it('keeps at most maxSamples, wrapping around its ring', () => {
    const meter = new RateMeter(1e9, 4);
    for (let t = 0; t < 10; t++) meter.observe(t * 1_000, t * t);
    // Samples at 6..9 s remain: (81 - 36) over 3 s.
    expect(meter.ratePerSec()).toBe(15);
  });

  it('a lower count starts a new series, even within the same millisecond', () => {
    const meter = new RateMeter();
    meter.observe(0, 100);
    meter.observe(1_000, 200);
    meter.observe(1_000, 5);
    expect(meter.ratePerSec()).toBeNull();
    meter.observe(2_000, 15);
    expect(meter.ratePerSec()).toBe(10);
  });

  it('reports closer than the gap replace the newest value instead of filling the ring, and a read sees the newest', () => {
    const meter = new RateMeter(10_000, 4, 100);
    for (let t = 0; t <= 1_000; t += 1) meter.observe(t, t * 2); // 1,001 reports a millisecond apart
    expect(meter.ratePerSec()).toBe(2_000); // (2,000 - 0) units over 1 s: the first and the newest report
    meter.observe(1_050, 2_100);
    expect(meter.ratePerSec()).toBe(2_000); // a read commits the pending newest report
  });
});
