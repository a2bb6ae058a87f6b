import { describe, expect, it } from 'vitest';
import { createEtaTracker } from '../../src/model/eta/tracker.js';
import { MAX_SAMPLES } from '../../src/model/eta/samples.js';
import { cumulative, factorOff, meanErrors, noisy, pausedMidway, seeded, staged, steady } from './eta-shapes.js';

describe('ETA estimators on generated shapes of work', () => {
  it('steady work: every method is within 1 % of the truth', () => {
    const errors = meanErrors(steady);
    expect(errors.linear).toBeLessThan(0.01);
    expect(errors.ewma).toBeLessThan(0.01);
    expect(errors.adaptive).toBeLessThan(0.01);
  });

  it('noisy work (±50 % from second to second): the adaptive estimate stays within 10 %, close to the linear one', () => {
    const errors = meanErrors(noisy);
    expect(errors.adaptive).toBeLessThan(0.1);
    expect(errors.adaptive).toBeLessThan(errors.linear * 1.5);
    expect(errors.ewma).toBeLessThan(0.15);
  });

  it('a slow stage after a fast one: the adaptive estimator beats the linear one', () => {
    const errors = meanErrors(staged);
    expect(errors.adaptive).toBeLessThan(errors.linear / 5);
    expect(errors.adaptive).toBeLessThan(0.05);
  });

  it('a pause in the middle: the adaptive estimator (work time only) beats the linear one', () => {
    const errors = meanErrors(pausedMidway);
    expect(errors.adaptive).toBeLessThan(errors.linear / 10);
    expect(errors.adaptive).toBeLessThan(0.02);
  });

  it('the estimate shown is the adaptive one and names its method', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 50; t++) tracker.observe(t * 1000, t / 100);
    const eta = tracker.estimate(50_000)!;
    expect(eta.method).toBe('adaptive');
    expect(eta.low).toBeLessThanOrEqual(eta.remainingMs);
    expect(eta.high).toBeGreaterThanOrEqual(eta.remainingMs);
    expect(eta.confidence).toBeGreaterThan(0.5);
    expect(eta.confidence).toBeLessThanOrEqual(1);
  });

  it('confidence is lower and the interval wider for noisy work than for steady work', () => {
    const at = (fractionAt: (t: number) => number) => {
      const tracker = createEtaTracker();
      for (let t = 0; t <= 150; t++) tracker.observe(t * 1000, fractionAt(t));
      const eta = tracker.estimate(150_000)!;
      return { confidence: eta.confidence, width: (eta.high - eta.low) / eta.remainingMs };
    };
    const bursty = cumulative(200, (() => {
      const rand = seeded(3);
      return () => -Math.log(1 - rand());
    })());
    const calm = at((t) => t / 200);
    const rough = at((t) => bursty[t]!);
    expect(rough.confidence).toBeLessThan(calm.confidence);
    expect(rough.width).toBeGreaterThan(calm.width);
  });
});

describe('ETA between and around reports', () => {
  it('between sparse reports the ETA counts down instead of freezing', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 100; t += 10) tracker.observe(t * 1000, t / 200);
    const atReport = tracker.estimate(100_000)!.remainingMs;
    expect(atReport).toBeCloseTo(100_000, -3);
    for (const later of [2, 5, 9]) {
      const eta = tracker.estimate(100_000 + later * 1000)!;
      expect(atReport - eta.remainingMs).toBeCloseTo(later * 1000, -2);
      expect(eta.at).toBe(100_000 + later * 1000);
    }
  });

  it('a long silence is a stall: the ETA stops counting down, grows no faster than the silence, and confidence falls', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 100; t++) tracker.observe(t * 1000, t / 200);
    const before = tracker.estimate(100_000)!;
    const samples = [110, 130, 160, 400].map((t) => tracker.estimate(t * 1000)!);
    for (const [i, eta] of samples.entries()) {
      const silenceMs = [10, 30, 60, 300][i]! * 1000;
      expect(eta.remainingMs).toBeGreaterThan(before.remainingMs - 5_000);
      expect(eta.remainingMs).toBeLessThanOrEqual(before.remainingMs + silenceMs);
      expect(eta.high).toBeGreaterThanOrEqual(eta.remainingMs);
      expect(eta.confidence).toBeLessThan(before.confidence);
    }
    expect(samples[3]!.remainingMs).toBeGreaterThan(samples[2]!.remainingMs);
  });

  it('a minute of reports without progress (a stall) never puts the ETA off by more than 3×', () => {
    // 1 % per 2 s, stuck at 50 % from 100 s to 160 s while reports keep coming, then on again: done at 260 s.
    const fractionAt = (t: number) => (t < 100 ? t / 200 : t < 160 ? 0.5 : (t - 60) / 200);
    const tracker = createEtaTracker();
    let worst = 1;
    for (let t = 0; t <= 250; t++) {
      tracker.observe(t * 1000, fractionAt(t));
      if (t >= 90) worst = Math.max(worst, factorOff(tracker.estimate(t * 1000)!.remainingMs, (260 - t) * 1000));
    }
    expect(worst).toBeLessThan(3);
  });

  it('a burst of progress (19 % in one second) never puts the ETA off by more than 3×', () => {
    const fractionAt = (t: number) => (t <= 60 ? t / 200 : 0.5 + (t - 61) / 200);
    const tracker = createEtaTracker();
    let worst = 1;
    for (let t = 0; t <= 150; t++) {
      tracker.observe(t * 1000, fractionAt(t));
      if (t >= 61) worst = Math.max(worst, factorOff(tracker.estimate(t * 1000)!.remainingMs, (161 - t) * 1000));
    }
    expect(worst).toBeLessThan(3);
  });

  it('while paused the ETA holds still: paused time is not work time', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 60; t++) tracker.observe(t * 1000, t / 200);
    tracker.pause(60_000);
    const atPause = tracker.estimate(60_000)!.remainingMs;
    expect(tracker.estimate(3_600_000)!.remainingMs).toBe(atPause);
    tracker.resume(3_600_000);
    tracker.observe(3_601_000, 61 / 200);
    expect(tracker.estimate(3_601_000)!.remainingMs).toBeCloseTo(139_000, -3);
  });

  it('a reset (a lower fraction) starts a new series instead of producing a negative rate', () => {
    const tracker = createEtaTracker();
    for (let t = 0; t <= 30; t++) tracker.observe(t * 1000, t / 60);
    for (let t = 31; t <= 60; t++) tracker.observe(t * 1000, (t - 30) / 100);
    const eta = tracker.estimate(60_000)!;
    expect(factorOff(eta.remainingMs, 70_000)).toBeLessThan(1.2);
  });

  it('at 100 % nothing remains', () => {
    const tracker = createEtaTracker();
    tracker.observe(0, 0);
    tracker.observe(5_000, 1);
    expect(tracker.estimate(6_000)).toMatchObject({ remainingMs: 0, low: 0, high: 0, confidence: 1 });
  });
});

describe('ETA prior, coverage and memory', () => {
  it('before any progress the prior is the median of what earlier jobs of the type had left, with the quartiles as interval', () => {
    const tracker = createEtaTracker({ priorDurationsMs: [60_000, 80_000, 100_000, 120_000], startedAt: 0 });
    expect(tracker.estimate(0)).toMatchObject({ method: 'prior', remainingMs: 90_000, low: 75_000, high: 105_000 });
    // After 90 s only the two longer jobs say anything: 10 s and 30 s left.
    expect(tracker.estimate(90_000)).toMatchObject({ method: 'prior', remainingMs: 20_000, low: 15_000, high: 25_000 });
    expect(tracker.estimate(200_000)!.confidence).toBeLessThanOrEqual(0.05);
    expect(createEtaTracker().estimate(1_000)).toBeNull();
  });

  it('once reports have started there is always an estimate, whatever the shape', () => {
    const rand = seeded(11);
    for (let run = 0; run < 20; run++) {
      const tracker = createEtaTracker();
      tracker.resume(0); // the job starts running
      let fraction = 0;
      let now = 0;
      for (let report = 0; report < 40; report++) {
        now += Math.round(1 + rand() * 20_000);
        fraction = Math.min(0.99, fraction + (rand() < 0.3 ? 0 : rand() * 0.05));
        tracker.observe(now, fraction);
        if (fraction > 0) {
          const eta = tracker.estimate(now + Math.round(rand() * 60_000));
          expect(eta).not.toBeNull();
          expect(eta!.method).not.toBe('prior');
          expect(Number.isFinite(eta!.remainingMs)).toBe(true);
        }
      }
    }
  });

  it('memory is bounded: a hundred thousand reports keep at most a fixed number of samples, and the estimate stays right', () => {
    const tracker = createEtaTracker();
    const reports = 100_000;
    for (let i = 0; i <= reports; i++) tracker.observe(i * 100, i / (reports * 2)); // 10 000 s of work, half done
    expect(tracker.sampleCount).toBeLessThanOrEqual(MAX_SAMPLES);
    expect(factorOff(tracker.estimate(reports * 100)!.remainingMs, reports * 100)).toBeLessThan(1.01);
  });
});
