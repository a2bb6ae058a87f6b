import { describe, expect, it } from 'vitest';
import { createEtaTracker } from '../../src/model/eta/tracker.js';
import { ETA_SAMPLE_MS, sampledEta } from '../../src/service/jobs/sampled-eta.js';

/** Steady work: 1% every 10 ms from t = 0. */
function feedSteady(tracker: ReturnType<typeof createEtaTracker>, untilMs: number): void {
  for (let t = 10; t <= untilMs; t += 10) tracker.observe(t, t / 1_000);
}

describe('sampledEta', () => {
  it('feeds the tracker one report per interval, yet estimates as of the newest report', () => {
    const every = createEtaTracker({ startedAt: 0 });
    const sampled = sampledEta(createEtaTracker({ startedAt: 0 }));
    feedSteady(every, 500);
    feedSteady(sampled, 500);
    expect(sampled.sampleCount).toBeLessThan(every.sampleCount);
    expect(sampled.sampleCount).toBeGreaterThanOrEqual(Math.floor(500 / ETA_SAMPLE_MS) - 1);
    const exact = every.estimate(500)!;
    const estimate = sampled.estimate(500)!;
    // Half done after 500 ms of steady work: about 500 ms to go, from either tracker.
    expect(estimate.remainingMs).toBeGreaterThan(400);
    expect(estimate.remainingMs).toBeLessThan(600);
    expect(Math.abs(estimate.remainingMs - exact.remainingMs)).toBeLessThan(50);
  });

  it('a pending report reaches the tracker before a pause, and a reset goes in at once', () => {
    const tracker = createEtaTracker({ startedAt: 0 });
    const sampled = sampledEta(tracker);
    sampled.observe(100, 0.1);
    sampled.observe(105, 0.2); // within the interval: pending
    sampled.pause(110);
    expect(tracker.sampleCount).toBe(3); // the start, 0.1 and 0.2
    sampled.resume(200);
    sampled.observe(205, 0.05); // lower: a new series, fed at once
    expect(tracker.sampleCount).toBe(1);
  });
});
