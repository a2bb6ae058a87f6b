import type { Eta } from '@headway/protocol';
import { etaFromRate } from './uncertainty.js';

/**
 * Overall rate over wall-clock time since the job started: what most progress bars show.
 * Steady and simple, but blind to stages of different speed and to pauses (it counts paused
 * time as work), which is what the adaptive estimator is measured against.
 */
export function linearEstimate(fraction: number, wallElapsedMs: number, cv: number, sampleCount: number, at: number): Eta | null {
  if (fraction <= 0 || wallElapsedMs <= 0) return null;
  return etaFromRate('linear', fraction / wallElapsedMs, fraction, cv, sampleCount, at);
}
