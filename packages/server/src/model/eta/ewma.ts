import type { Eta } from '@headway/protocol';
import type { Sample } from './samples.js';
import { etaFromRate } from './uncertainty.js';

const MIN_TAU_MS = 2_000;
const MAX_TAU_MS = 15 * 60_000;

interface State {
  last: Sample;
  /** Smoothed rate, fraction per work millisecond; null until some work time has passed. */
  rate: number | null;
  /** Smoothed squared deviation of chunk rates from `rate`. */
  variance: number;
  /** Progress and time gathered since the last variance update. */
  chunk: { gained: number; ms: number };
  /** How many chunks the variance has seen. */
  chunks: number;
  count: number;
}

/**
 * Exponentially smoothed rate, weighted by time rather than by report: each interval weighs
 * 1 − e^(−Δt/τ), so how much history counts does not depend on how often a worker reports
 * (tqdm's EMA weighs every update alike; its PR #1005 asks for a "smoothing time"). τ is a
 * tenth of the work time so far (2 s – 15 min), so it suits a 30-second job and a 10-hour one
 * alike. O(1) per report, no sample history. It follows speed changes quickly but is thrown
 * by a stall or a burst: the tracker prefers the adaptive estimate.
 */
export class EwmaRate {
  private state: State | null = null;

  observe(sample: Sample): void {
    this.state = this.state === null ? fresh(sample) : advance(this.state, sample);
  }

  reset(): void {
    this.state = null;
  }

  /** The estimate as of the newest report. */
  estimate(at: number): Eta | null {
    const state = this.state;
    if (!state || state.rate === null) return null;
    const cv = state.chunks < 2 ? 1 : Math.min(2, Math.sqrt(state.variance) / state.rate);
    return etaFromRate('ewma', state.rate, state.last.fraction, cv, state.count, at);
  }
}

function fresh(sample: Sample): State {
  return { last: sample, rate: null, variance: 0, chunk: { gained: 0, ms: 0 }, chunks: 0, count: 1 };
}

function advance(state: State, sample: Sample): State {
  const dt = sample.workMs - state.last.workMs;
  if (dt <= 0) return { ...state, last: { workMs: state.last.workMs, fraction: Math.max(state.last.fraction, sample.fraction) } };
  const gained = sample.fraction - state.last.fraction;
  const r = gained / dt;
  const tau = Math.min(MAX_TAU_MS, Math.max(MIN_TAU_MS, sample.workMs / 10));
  const alpha = 1 - Math.exp(-dt / tau);
  const rate = state.rate === null ? r : state.rate + alpha * (r - state.rate);
  // Variance over chunks of a quarter τ: per-report rates mostly measure how ticks are quantised.
  const chunk = { gained: state.chunk.gained + gained, ms: state.chunk.ms + dt };
  let variance = state.variance;
  let chunks = state.chunks;
  if (chunk.ms >= tau / 4 && state.rate !== null) {
    chunks++;
    const chunkAlpha = 1 - Math.exp(-chunk.ms / tau);
    const deviation = chunk.gained / chunk.ms - rate;
    variance = (1 - chunkAlpha) * variance + chunkAlpha * deviation * deviation;
    chunk.gained = 0;
    chunk.ms = 0;
  }
  return { last: sample, rate, variance, chunk, chunks, count: state.count + 1 };
}
