import type { Eta } from '@headway/protocol';
import { variability, type SampleSeries } from './samples.js';
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
export function adaptiveEstimate(series: SampleSeries, at: number): Eta | null {
  const n = series.length;
  if (n < 2) return null;
  const firstMs = series.workMs(0);
  const firstFraction = series.fraction(0);
  const lastMs = series.workMs(n - 1);
  const lastFraction = series.fraction(n - 1);
  const timeFrom = lastMs - TIME_SHARE * (lastMs - firstMs);
  const progressFrom = lastFraction - PROGRESS_SHARE * (lastFraction - firstFraction);
  let start = Math.min(n - 1 - MIN_INTERVALS, latestAtMost(n, (i) => series.workMs(i), timeFrom), latestAtMost(n, (i) => series.fraction(i), progressFrom));
  start = Math.max(0, start);
  const fromMs = series.workMs(start);
  const span = lastMs - fromMs;
  if (span <= 0) return null;
  const recentRate = (lastFraction - series.fraction(start)) / span;
  const recentCv = variability(series, fromMs, lastMs);
  const longRate = (lastFraction - firstFraction) / (lastMs - firstMs);
  // While the recent rate agrees with the long-run one (within its own noise) the longer
  // history is the more precise measure; a clear change of speed (a new stage) hands over
  // to the recent window.
  const noise = Math.max(MIN_NOISE, recentCv);
  const change = recentRate > 0 && longRate > 0 ? Math.log(recentRate / longRate) : Infinity;
  const trustLong = start === 0 ? 0 : Math.exp(-(change * change) / (2 * noise * noise));
  const rate = trustLong * longRate + (1 - trustLong) * recentRate;
  const cv = trustLong * variability(series, firstMs, lastMs) + (1 - trustLong) * recentCv;
  return etaFromRate('adaptive', rate, lastFraction, cv, n - start, at);
}

/** Index of the newest of `n` samples whose value is at most `limit` (values rise with the index), or 0. */
function latestAtMost(n: number, valueAt: (index: number) => number, limit: number): number {
  let lo = 0;
  let hi = n - 1;
  if (!(valueAt(0) <= limit)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (valueAt(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
