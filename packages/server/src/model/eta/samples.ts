/** Progress samples on the work clock (wall time minus paused time), bounded in number. */
export interface Sample {
  /** Work milliseconds since the first observation. */
  workMs: number;
  /** 0..1 */
  fraction: number;
}

export const MAX_SAMPLES = 256;

/** Per-interval rates (fraction per ms) between consecutive samples. */
export function intervalRates(samples: readonly Sample[]): number[] {
  const rates: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i]!.workMs - samples[i - 1]!.workMs;
    if (dt > 0) rates.push((samples[i]!.fraction - samples[i - 1]!.fraction) / dt);
  }
  return rates;
}

/** Coefficient of variation of the rates: 0 for steady work, larger for noisy work. */
export function variability(rates: readonly number[]): number {
  if (rates.length < 2) return 1;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  if (mean <= 0) return 1;
  const variance = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1);
  return Math.min(2, Math.sqrt(variance) / mean);
}

/** Confidence from how much is done, how many samples there are and how steady the rate is. */
export function confidenceOf(fraction: number, sampleCount: number, cv: number): number {
  const progress = Math.min(1, fraction * 2);
  const evidence = Math.min(1, sampleCount / 10);
  const steadiness = 1 / (1 + cv);
  return Math.round(Math.min(0.99, 0.1 + 0.9 * progress * evidence * steadiness) * 100) / 100;
}

/** An interval around `remainingMs` that widens with variability and narrows near the end. */
export function intervalAround(remainingMs: number, fraction: number, cv: number): { low: number; high: number } {
  const spread = Math.max(0.05, Math.min(3, (0.15 + cv) * (1 - 0.7 * fraction)));
  return { low: Math.round(remainingMs / (1 + spread)), high: Math.round(remainingMs * (1 + spread)) };
}
