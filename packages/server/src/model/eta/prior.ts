import type { Eta } from '@headway/protocol';

/**
 * Before any progress: the durations of earlier completed jobs of the same type (median, with
 * the interquartile range as the interval), minus the work already spent.
 */
export function priorEstimate(durationsMs: readonly number[], workElapsedMs: number, now: number): Eta | null {
  const sorted = durationsMs.filter((d) => Number.isFinite(d) && d > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const left = (d: number) => Math.max(0, Math.round(d - workElapsedMs));
  return {
    remainingMs: left(at(0.5)),
    low: left(at(0.25)),
    high: left(at(0.75)),
    confidence: Math.round(Math.min(0.5, sorted.length / 20) * 100) / 100,
    method: 'prior',
    at: now,
  };
}
