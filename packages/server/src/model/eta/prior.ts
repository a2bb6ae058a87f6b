import type { Eta } from '@headway/protocol';
import { etaOf } from './eta-of.js';
import { round2 } from './uncertainty.js';

/**
 * Before any progress: the work durations of earlier completed jobs of the same type. The
 * estimate is the median of what is left of those that ran longer than this job has so far
 * (a job that has already run 5 minutes is not going to take the 2-minute median), with the
 * interquartile range as the interval. Confidence grows with the number of earlier jobs and
 * shrinks with their spread; a prior never claims more than 0.5.
 */
export function priorEstimate(durationsMs: readonly number[], workElapsedMs: number, at: number): Eta | null {
  const valid = durationsMs.filter((d) => Number.isFinite(d) && d > 0);
  if (valid.length === 0) return null;
  const left = valid.filter((d) => d > workElapsedMs).map((d) => d - workElapsedMs).sort((a, b) => a - b);
  if (left.length === 0) {
    // Already longer than every earlier job: little is known, so say so.
    return etaOf(Math.round(workElapsedMs * 0.1), 0, Math.round(workElapsedMs), 0.05, 'prior', at);
  }
  const median = quantile(left, 0.5);
  const low = quantile(left, 0.25);
  const high = quantile(left, 0.75);
  const spread = median > 0 ? (high - low) / median : 1;
  const confidence = round2(Math.min(0.5, left.length / 20) / (1 + spread));
  return etaOf(Math.round(median), Math.round(low), Math.round(high), Math.max(0.01, confidence), 'prior', at);
}

/** Linearly interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
