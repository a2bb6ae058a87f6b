import { describe, expect, it } from 'vitest';
import { createEtaTracker, type EtaTracker } from '../../src/model/eta/tracker.js';

/** A work shape: fraction done as a function of work seconds, with optional pauses. */
interface Shape {
  /** Seconds of work to finish. */
  durationSec: number;
  fractionAt(workSec: number): number;
  /** [atWorkSec, pauseSec] */
  pause?: [number, number];
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Feeds a shape to a tracker (a report every `everySec` of work) and measures the relative error of each method over the second half. */
function run(shape: Shape, everySec = 1): Record<'linear' | 'ewma' | 'adaptive', number> {
  const tracker = createEtaTracker();
  const errors = { linear: [] as number[], ewma: [] as number[], adaptive: [] as number[] };
  let wall = 0;
  let paused = false;
  for (let work = 0; work <= shape.durationSec; work += everySec) {
    if (shape.pause && !paused && work >= shape.pause[0]) {
      tracker.pause(wall * 1000);
      wall += shape.pause[1];
      tracker.resume(wall * 1000);
      paused = true;
    }
    const fraction = Math.min(1, shape.fractionAt(work));
    tracker.observe(wall * 1000, fraction);
    const trueRemainingMs = (shape.durationSec - work) * 1000;
    if (work > shape.durationSec * 0.5 && work < shape.durationSec * 0.95) {
      const all = tracker.estimateAll(wall * 1000);
      for (const method of ['linear', 'ewma', 'adaptive'] as const) {
        const estimate = all[method];
        if (estimate) errors[method].push(Math.abs(estimate.remainingMs - trueRemainingMs) / trueRemainingMs);
      }
    }
    wall += everySec;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { linear: mean(errors.linear), ewma: mean(errors.ewma), adaptive: mean(errors.adaptive) };
}

const steady: Shape = { durationSec: 200, fractionAt: (t) => t / 200 };
// Rate varies ±50% from one second to the next (normalised so the work ends at 200 s).
const noisyIncrements = (() => {
  const rand = seeded(7);
  const raw = Array.from({ length: 200 }, () => 0.5 + rand());
  const sum = raw.reduce((a, b) => a + b, 0);
  const cumulative = [0];
  for (const r of raw) cumulative.push(cumulative.at(-1)! + r / sum);
  return cumulative;
})();
const noisy: Shape = { durationSec: 200, fractionAt: (t) => noisyIncrements[Math.min(200, Math.round(t))]! };
// Fast first half (50 s), slow second half (200 s).
const staged: Shape = { durationSec: 250, fractionAt: (t) => (t <= 50 ? (t / 50) * 0.5 : 0.5 + ((t - 50) / 200) * 0.5) };
const pausedMidway: Shape = { ...steady, pause: [80, 300] };

describe('ETA estimators', () => {
  it('on steady work every method is close to the truth', () => {
    const errors = run(steady);
    expect(errors.linear).toBeLessThan(0.05);
    expect(errors.ewma).toBeLessThan(0.05);
    expect(errors.adaptive).toBeLessThan(0.05);
  });

  it('on noisy work the estimates stay within a reasonable error', () => {
    const errors = run(noisy);
    expect(errors.adaptive).toBeLessThan(0.3);
    expect(errors.linear).toBeLessThan(0.3);
  });

  it('on a slow stage after a fast one, the adaptive estimator beats the linear one', () => {
    const errors = run(staged);
    expect(errors.adaptive).toBeLessThan(errors.linear);
    expect(errors.adaptive).toBeLessThan(0.25);
  });

  it('with a pause in the middle, the adaptive estimator (work time only) beats the linear one', () => {
    const errors = run(pausedMidway);
    expect(errors.adaptive).toBeLessThan(errors.linear);
    expect(errors.adaptive).toBeLessThan(0.05);
  });

  it('between sparse reports the ETA counts down instead of freezing', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 100; t += 10) tracker.observe(t * 1000, t / 200);
    const atReport = tracker.estimate(100_000)!;
    const fiveLater = tracker.estimate(105_000)!;
    expect(atReport.remainingMs - fiveLater.remainingMs).toBeCloseTo(5_000, -2);
    expect(fiveLater.at).toBe(105_000);
  });

  it('a stall slows the estimate gradually, never by an order of magnitude at once', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 100; t++) tracker.observe(t * 1000, t / 200);
    const before = tracker.estimate(100_000)!.remainingMs; // ~100 s
    const afterStall = tracker.estimate(160_000)!.remainingMs; // a 60 s silence
    expect(afterStall).toBeGreaterThan(before * 0.1);
    expect(afterStall).toBeLessThan(before * 10);
    expect(tracker.estimate(160_000)!.high).toBeGreaterThanOrEqual(afterStall);
  });

  it('a burst of progress does not throw the estimate off by an order of magnitude', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 60; t++) tracker.observe(t * 1000, t / 200);
    tracker.observe(61_000, 0.5); // +19% in one second
    for (let t = 62; t <= 70; t++) tracker.observe(t * 1000, 0.5 + (t - 61) / 200);
    const remaining = tracker.estimate(70_000)!.remainingMs;
    const truth = (1 - (0.5 + 9 / 200)) * 200_000;
    expect(remaining).toBeGreaterThan(truth / 10);
    expect(remaining).toBeLessThan(truth * 10);
  });

  it('before any progress, earlier durations of the same type are the prior; once reports start there is always an estimate', () => {
    const tracker: EtaTracker = createEtaTracker({ priorDurationsMs: [60_000, 80_000, 100_000, 120_000], startedAt: 0 });
    const prior = tracker.estimate(10_000)!;
    expect(prior).toMatchObject({ method: 'prior', remainingMs: 90_000, low: 70_000, high: 110_000 });
    tracker.observe(20_000, 0.1);
    const first = tracker.estimate(20_000)!;
    expect(first).not.toBeNull();
    expect(first.method).not.toBe('prior');
    expect(first.remainingMs).toBeGreaterThan(0);
    expect(first.low).toBeLessThanOrEqual(first.remainingMs);
    expect(first.high).toBeGreaterThanOrEqual(first.remainingMs);
    expect(first.confidence).toBeGreaterThan(0);
    expect(first.confidence).toBeLessThanOrEqual(1);
  });
});
