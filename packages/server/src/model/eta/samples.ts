/** A progress sample on the work clock (wall time minus paused time). */
export interface Sample {
  /** Work milliseconds since the series began. */
  workMs: number;
  /** 0..1, never decreasing within a series. */
  fraction: number;
}

export const MAX_SAMPLES = 256;

/**
 * A fixed-size history of samples that covers the whole job at any length: when it is full,
 * every other sample is dropped and the minimum spacing doubles, so a ten-hour job keeps
 * samples every couple of minutes and a ten-second one every few milliseconds. The newest
 * sample is always exact (a report too close to the previous one replaces the last sample).
 */
export class SampleWindow {
  private items: Sample[] = [];
  private spacingMs = 0;

  constructor(private readonly capacity = MAX_SAMPLES) {}

  get samples(): readonly Sample[] {
    return this.items;
  }

  get last(): Sample | undefined {
    return this.items[this.items.length - 1];
  }

  add(sample: Sample): void {
    const n = this.items.length;
    const beforeLast = this.items[n - 2];
    if (n >= 2 && beforeLast && sample.workMs - beforeLast.workMs < this.spacingMs) {
      this.items[n - 1] = sample;
      return;
    }
    if (n >= 1 && this.items[n - 1]!.workMs === sample.workMs) {
      this.items[n - 1] = sample;
      return;
    }
    this.items.push(sample);
    if (this.items.length > this.capacity) this.thin();
  }

  clear(): void {
    this.items = [];
    this.spacingMs = 0;
  }

  private thin(): void {
    const last = this.items[this.items.length - 1]!;
    const kept = this.items.filter((_, i) => i % 2 === 0);
    if (kept[kept.length - 1] !== last) kept.push(last);
    this.items = kept;
    this.spacingMs = (last.workMs - kept[0]!.workMs) / Math.max(1, kept.length - 1);
  }
}

/** Fraction done at work time `workMs`, interpolated between samples (clamped to the ends). */
export function fractionAt(samples: readonly Sample[], workMs: number): number {
  if (samples.length === 0) return 0;
  if (workMs <= samples[0]!.workMs) return samples[0]!.fraction;
  const last = samples[samples.length - 1]!;
  if (workMs >= last.workMs) return last.fraction;
  let lo = 0;
  let hi = samples.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.workMs <= workMs) lo = mid;
    else hi = mid;
  }
  const a = samples[lo]!;
  const b = samples[hi]!;
  return a.fraction + ((b.fraction - a.fraction) * (workMs - a.workMs)) / (b.workMs - a.workMs);
}

/**
 * How unsteady the rate is over [fromMs, toMs] at the scale that matters for an ETA: the
 * coefficient of variation of the rates of `parts` equal sub-spans (per-report rates would
 * mostly measure how ticks are quantised). 0 for steady work, capped at 2.
 */
export function variability(samples: readonly Sample[], fromMs: number, toMs: number, parts = 4): number {
  const span = (toMs - fromMs) / parts;
  if (span <= 0) return 1;
  const rates: number[] = [];
  for (let i = 0; i < parts; i++) {
    const a = fromMs + i * span;
    rates.push((fractionAt(samples, a + span) - fractionAt(samples, a)) / span);
  }
  const mean = rates.reduce((sum, r) => sum + r, 0) / parts;
  if (mean <= 0) return 2;
  const variance = rates.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (parts - 1);
  return Math.min(2, Math.sqrt(variance) / mean);
}
