import type { Eta } from '@headway/protocol';
import { confidenceOf, intervalAround } from './samples.js';

/**
 * Overall linear rate over wall-clock time since the job started: what most progress bars
 * show. Simple and steady, but blind to stages of different speed and to pauses.
 */
export function linearEstimate(fraction: number, wallElapsedMs: number, sampleCount: number, now: number): Eta | null {
  if (fraction <= 0 || wallElapsedMs <= 0) return null;
  const remainingMs = Math.round((wallElapsedMs * (1 - fraction)) / fraction);
  return { remainingMs, ...intervalAround(remainingMs, fraction, 0.5), confidence: confidenceOf(fraction, sampleCount, 0.5), method: 'linear', at: now };
}
