import type { Eta } from '@headway/protocol';
import { confidenceOf, intervalAround, intervalRates, variability, type Sample } from './samples.js';

const MIN_WINDOW_MS = 5_000;
const MAX_WINDOW_MS = 120_000;

/**
 * Rate over a recent window of work time (paused time excluded), so a slow stage after a fast
 * one shows up within the window, while a single burst or a short stall moves it only by its
 * share of the window. The window grows with the job (a quarter of the work so far).
 */
export function adaptiveEstimate(samples: readonly Sample[], now: number): Eta | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1]!;
  const windowMs = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, last.workMs * 0.25));
  let start = samples.length - 1;
  while (start > 0 && last.workMs - samples[start - 1]!.workMs <= windowMs) start--;
  if (start === samples.length - 1) start = samples.length - 2; // at least one interval
  const first = samples[start]!;
  const span = last.workMs - first.workMs;
  const gained = last.fraction - first.fraction;
  if (span <= 0 || gained <= 0) return null;
  const rate = gained / span;
  const window = samples.slice(start);
  const cv = variability(intervalRates(window));
  const remainingMs = Math.round((1 - last.fraction) / rate);
  return { remainingMs, ...intervalAround(remainingMs, last.fraction, cv), confidence: confidenceOf(last.fraction, window.length + 2, cv), method: 'adaptive', at: now };
}
