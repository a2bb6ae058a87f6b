import type { Eta } from '@headway/protocol';
import { adaptiveEstimate } from './adaptive.js';
import { ewmaEstimate } from './ewma.js';
import { linearEstimate } from './linear.js';
import { priorEstimate } from './prior.js';
import { MAX_SAMPLES, type Sample } from './samples.js';

export interface EtaTracker {
  observe(now: number, fraction: number): void;
  pause(now: number): void;
  resume(now: number): void;
  /** The most trusted estimate, naming the method that produced it. */
  estimate(now: number): Eta | null;
  estimateAll(now: number): Record<'linear' | 'ewma' | 'adaptive', Eta | null>;
}

/** How long past the usual gap between reports before silence counts as a stall. */
const STALL_GAP_FACTOR = 3;

/** Keeps a job's samples on the work clock and answers ETAs at any `now` (pure: time is passed in). */
export function createEtaTracker(options: { priorDurationsMs?: number[]; startedAt?: number | null } = {}): EtaTracker {
  const prior = options.priorDurationsMs ?? [];
  const samples: Sample[] = [];
  let startedAt: number | null = options.startedAt ?? null;
  let pausedSince: number | null = null;
  let pausedTotal = 0;

  const workAt = (now: number) => (startedAt === null ? 0 : now - startedAt - pausedTotal - (pausedSince === null ? 0 : now - pausedSince));

  const raw = (now: number) => {
    const last = samples[samples.length - 1];
    const fraction = last?.fraction ?? 0;
    return {
      linear: linearEstimate(fraction, startedAt === null ? 0 : now - startedAt, samples.length, now),
      ewma: ewmaEstimate(samples, now),
      adaptive: adaptiveEstimate(samples, now),
    };
  };

  /** Counts down between reports; during a stall, lets silence slow the rate down gradually. */
  const atNow = (eta: Eta | null, now: number): Eta | null => {
    const last = samples[samples.length - 1];
    if (!eta || !last) return eta;
    const sinceLast = Math.max(0, workAt(now) - last.workMs);
    const typicalGap = samples.length > 1 ? last.workMs / (samples.length - 1) : sinceLast;
    let remainingMs = Math.max(0, eta.remainingMs - sinceLast);
    let { low, high } = eta;
    low = Math.max(0, low - sinceLast);
    high = Math.max(0, high - sinceLast);
    if (sinceLast > STALL_GAP_FACTOR * typicalGap && last.workMs > 0) {
      // Treat the silence as zero progress: the rate over work time including the stall.
      const stalledRate = last.fraction / (last.workMs + sinceLast);
      const stalledRemaining = stalledRate > 0 ? (1 - last.fraction) / stalledRate : remainingMs;
      remainingMs = Math.max(remainingMs, Math.round(Math.min(stalledRemaining, eta.remainingMs * 10)));
      high = Math.max(high, remainingMs * 1.5);
      low = Math.min(low, remainingMs);
      return { ...eta, remainingMs, low: Math.round(low), high: Math.round(high), confidence: Math.round(eta.confidence * 50) / 100, at: now };
    }
    return { ...eta, remainingMs, low: Math.round(low), high: Math.round(high), at: now };
  };

  return {
    observe(now, fraction) {
      if (startedAt === null) startedAt = now;
      const f = Math.min(1, Math.max(0, fraction));
      const workMs = workAt(now);
      const last = samples[samples.length - 1];
      if (last && f < last.fraction) samples.length = 0; // an explicit reset starts a new series
      if (last && last.workMs === workMs) last.fraction = f;
      else samples.push({ workMs, fraction: f });
      if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
    },
    pause(now) {
      if (pausedSince === null && startedAt !== null) pausedSince = now;
    },
    resume(now) {
      if (pausedSince !== null) {
        pausedTotal += now - pausedSince;
        pausedSince = null;
      }
    },
    estimate(now) {
      const last = samples[samples.length - 1];
      if (!last || last.fraction <= 0) return priorEstimate(prior, workAt(now), now);
      if (last.fraction >= 1) return { remainingMs: 0, low: 0, high: 0, confidence: 1, method: 'adaptive', at: now };
      const all = raw(now);
      // Prefer the adaptive estimate; fall back so that once reports have started there is always one.
      const best = all.adaptive ?? all.ewma ?? all.linear;
      return atNow(best, now) ?? priorEstimate(prior, workAt(now), now);
    },
    estimateAll(now) {
      const all = raw(now);
      return { linear: atNow(all.linear, now), ewma: atNow(all.ewma, now), adaptive: atNow(all.adaptive, now) };
    },
  };
}
