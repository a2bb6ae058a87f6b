import type { Eta } from '@headway/protocol';
import { variability, type Sample } from './samples.js';
import { etaFromRate } from './uncertainty.js';

/** The window covers at least the last quarter of the work time… */
const TIME_SHARE = 0.25;
/** …and at least the last fifth of the progress made… */
const PROGRESS_SHARE = 0.2;
/** …and at least this many report intervals. */
const MIN_INTERVALS = 3;
/** Relative noise assumed of a rate even when the work has been perfectly steady. */
const MIN_NOISE = 0.1;

/**
 * Rate over a recent window of work time (paused time is not on this clock), sized relative
 * to the job itself rather than in fixed seconds (rich's fixed 30 s window never estimates a
 * task slower than that: rich #2282):
 * - a slow stage after a fast one fills the window within a quarter of the elapsed time;
 * - a burst or a stall moves the rate only by its share of a window that always holds a fifth
 *   of the progress made, so neither throws the estimate off by an order of magnitude;
 * - while the speed has not clearly changed, the long-run rate (more data, less noise) is
 *   blended in, so steady-but-noisy work is estimated as well as by the overall average.
 */
export function adaptiveEstimate(series: readonly Sample[], at: number): Eta | null {
  const n = series.length;
  if (n < 2) return null;
  const first = series[0]!;
  const last = series[n - 1]!;
  const timeFrom = last.workMs - TIME_SHARE * (last.workMs - first.workMs);
  const progressFrom = last.fraction - PROGRESS_SHARE * (last.fraction - first.fraction);
  let start = Math.min(n - 1 - MIN_INTERVALS, latestIndex(series, (s) => s.workMs <= timeFrom), latestIndex(series, (s) => s.fraction <= progressFrom));
  start = Math.max(0, start);
  const from = series[start]!;
  const span = last.workMs - from.workMs;
  if (span <= 0) return null;
  const recentRate = (last.fraction - from.fraction) / span;
  const recentCv = variability(series, from.workMs, last.workMs);
  const longRate = (last.fraction - first.fraction) / (last.workMs - first.workMs);
  // While the recent rate agrees with the long-run one (within its own noise) the longer
  // history is the more precise measure; a clear change of speed (a new stage) hands over
  // to the recent window.
  const noise = Math.max(MIN_NOISE, recentCv);
  const change = recentRate > 0 && longRate > 0 ? Math.log(recentRate / longRate) : Infinity;
  const trustLong = start === 0 ? 0 : Math.exp(-(change * change) / (2 * noise * noise));
  const rate = trustLong * longRate + (1 - trustLong) * recentRate;
  const cv = trustLong * variability(series, first.workMs, last.workMs) + (1 - trustLong) * recentCv;
  return etaFromRate('adaptive', rate, last.fraction, cv, n - start, at);
}

/** Index of the newest sample matching `test` (samples are ordered in time and fraction), or 0. */
function latestIndex(series: readonly Sample[], test: (s: Sample) => boolean): number {
  let lo = 0;
  let hi = series.length - 1;
  if (!test(series[0]!)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (test(series[mid]!)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
