import type { Eta } from '@headway/protocol';
import { confidenceOf, intervalAround, type Sample } from './samples.js';

const TAU_MS = 20_000;

/**
 * Exponentially smoothed rate, weighted by time rather than by sample (tqdm's per-update EMA
 * lets a burst of tiny updates dominate: tqdm #813). Tracks recent speed, with noise.
 */
export function ewmaEstimate(samples: readonly Sample[], now: number): Eta | null {
  if (samples.length < 2) return null;
  let rate = 0;
  let variance = 0;
  let initialised = false;
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i]!.workMs - samples[i - 1]!.workMs;
    if (dt <= 0) continue;
    const r = (samples[i]!.fraction - samples[i - 1]!.fraction) / dt;
    if (!initialised) {
      rate = r;
      initialised = true;
      continue;
    }
    const alpha = 1 - Math.exp(-dt / TAU_MS);
    const diff = r - rate;
    rate += alpha * diff;
    variance = (1 - alpha) * (variance + alpha * diff * diff);
  }
  if (!initialised || rate <= 0) return null;
  const last = samples[samples.length - 1]!;
  const remainingMs = Math.round((1 - last.fraction) / rate);
  const cv = Math.min(2, Math.sqrt(variance) / rate);
  return { remainingMs, ...intervalAround(remainingMs, last.fraction, cv), confidence: confidenceOf(last.fraction, samples.length, cv), method: 'ewma', at: now };
}
