import type { Eta } from '@headway/protocol';
import { createEtaTracker, type EtaMethodName } from '../../src/model/eta/tracker.js';

/** A generated shape of work: fraction done as a function of work seconds, reported every `everySec`. */
export interface Shape {
  durationSec: number;
  fractionAt(workSec: number): number;
  everySec?: number;
  /** [at work second, paused for seconds] */
  pause?: [number, number];
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Cumulative fraction after each of `n` one-second steps whose sizes come from `draw`. */
export function cumulative(n: number, draw: () => number): number[] {
  const steps = Array.from({ length: n }, draw);
  const sum = steps.reduce((a, b) => a + b, 0);
  const out = [0];
  for (const step of steps) out.push(out[out.length - 1]! + step / sum);
  return out;
}

export const steady: Shape = { durationSec: 200, fractionAt: (t) => t / 200 };

/** The rate varies ±50 % from one second to the next. */
const noisySteps = cumulative(200, (() => {
  const rand = seeded(7);
  return () => 0.5 + rand();
})());
export const noisy: Shape = { durationSec: 200, fractionAt: (t) => noisySteps[Math.min(200, Math.round(t))]! };

/** Half the work in 50 s, the other half in 200 s. */
export const staged: Shape = { durationSec: 250, fractionAt: (t) => (t <= 50 ? (t / 50) * 0.5 : 0.5 + ((t - 50) / 200) * 0.5) };

/** Steady work, paused for five minutes after 80 s. */
export const pausedMidway: Shape = { ...steady, pause: [80, 300] };

export type Errors = Record<EtaMethodName | 'best', number>;

/**
 * Feeds a shape to a fresh tracker and returns each method's mean relative error of the
 * remaining time over the second half of the work (50–95 %), measured at every report and
 * half-way between reports (where the ETA must have counted down).
 */
export function meanErrors(shape: Shape): Errors {
  const every = shape.everySec ?? 1;
  const tracker = createEtaTracker();
  const errors: Record<keyof Errors, number[]> = { linear: [], ewma: [], adaptive: [], best: [] };
  let wall = 0;
  let paused = false;
  for (let work = 0; work <= shape.durationSec; work += every) {
    if (shape.pause && !paused && work >= shape.pause[0]) {
      tracker.pause(wall * 1000);
      wall += shape.pause[1];
      tracker.resume(wall * 1000);
      paused = true;
    }
    tracker.observe(wall * 1000, Math.min(1, shape.fractionAt(work)));
    for (const ahead of [0, every / 2]) {
      const at = work + ahead;
      if (at <= shape.durationSec * 0.5 || at >= shape.durationSec * 0.95) continue;
      const truthMs = (shape.durationSec - at) * 1000;
      const all: Record<keyof Errors, Eta | null> = { ...tracker.estimateAll((wall + ahead) * 1000), best: tracker.estimate((wall + ahead) * 1000) };
      for (const [method, eta] of Object.entries(all) as Array<[keyof Errors, Eta | null]>) {
        if (eta) errors[method].push(Math.abs(eta.remainingMs - truthMs) / truthMs);
      }
    }
    wall += every;
  }
  const mean = (xs: number[]) => (xs.length === 0 ? Number.POSITIVE_INFINITY : xs.reduce((a, b) => a + b, 0) / xs.length);
  return { linear: mean(errors.linear), ewma: mean(errors.ewma), adaptive: mean(errors.adaptive), best: mean(errors.best) };
}

/** How far off an estimate is, as a factor ≥ 1 either way (2 = twice or half the truth). */
export function factorOff(estimateMs: number, truthMs: number): number {
  return Math.max(estimateMs / truthMs, truthMs / Math.max(1, estimateMs));
}
