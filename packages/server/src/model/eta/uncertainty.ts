import type { Eta, EtaMethod } from '@headway/protocol';
import { etaOf } from './eta-of.js';

/**
 * Confidence in 0..1 from how much is done, how much evidence there is (samples) and how
 * steady the rate has been (cv: coefficient of variation, 0 = steady).
 */
export function confidenceOf(fraction: number, sampleCount: number, cv: number): number {
  const progress = Math.min(1, fraction * 2);
  const evidence = Math.min(1, sampleCount / 10);
  const steadiness = 1 / (1 + 2 * cv);
  return round2(Math.min(0.99, 0.05 + 0.9 * progress * evidence * steadiness));
}

/**
 * An interval around `remainingMs`, symmetric in ratio (low = r / (1 + s), high = r × (1 + s)):
 * wider when the rate is unsteady and early on, narrower near the end.
 */
export function intervalAround(remainingMs: number, fraction: number, cv: number): { low: number; high: number } {
  const spread = Math.max(0.05, Math.min(3, (0.1 + cv) * (1 - 0.7 * fraction)));
  return { low: Math.round(remainingMs / (1 + spread)), high: Math.round(remainingMs * (1 + spread)) };
}

/** An estimate from a rate (fraction per work millisecond) for the work still to do. */
export function etaFromRate(method: EtaMethod, rate: number, fraction: number, cv: number, sampleCount: number, at: number): Eta | null {
  if (!(rate > 0) || !Number.isFinite(rate)) return null;
  const remainingMs = Math.round((1 - fraction) / rate);
  const { low, high } = intervalAround(remainingMs, fraction, cv);
  return etaOf(remainingMs, low, high, confidenceOf(fraction, sampleCount, cv), method, at);
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
