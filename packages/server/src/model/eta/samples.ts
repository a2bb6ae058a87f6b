/**
 * Progress samples on the work clock (wall time minus paused time), oldest first: work
 * milliseconds since the series began, and the fraction done then (0..1, never decreasing
 * within a series).
 */
export interface SampleSeries {
  readonly length: number;
  workMs(index: number): number;
  fraction(index: number): number;
}

export const MAX_SAMPLES = 256;
/** Room for the first samples of a job; the window grows to MAX_SAMPLES + 1 as they come. */
const INITIAL_ROOM = 16;

/**
 * A fixed-size history of samples that covers the whole job at any length: when it is full,
 * every other sample is dropped and the minimum spacing doubles, so a ten-hour job keeps
 * samples every couple of minutes and a ten-second one every few milliseconds. The newest
 * sample is always exact (a report too close to the previous one replaces the last sample).
 *
 * Samples live in two arrays of numbers, not as an object each: at 10,000 reports/s over
 * 1,000 jobs the objects of the samples taken since the last scavenge were alive at every one,
 * and V8 copied them twice (then promoted them) only for the window to drop half of them later.
 */
export class SampleWindow implements SampleSeries {
  private work = new Float64Array(0);
  private done = new Float64Array(0);
  private count = 0;
  private spacingMs = 0;

  constructor(private readonly capacity = MAX_SAMPLES) {}

  get length(): number {
    return this.count;
  }

  workMs(index: number): number {
    return this.work[index]!;
  }

  fraction(index: number): number {
    return this.done[index]!;
  }

  add(workMs: number, fraction: number): void {
    const n = this.count;
    if ((n >= 2 && workMs - this.work[n - 2]! < this.spacingMs) || (n >= 1 && this.work[n - 1] === workMs)) {
      this.work[n - 1] = workMs;
      this.done[n - 1] = fraction;
      return;
    }
    if (n === this.work.length) this.grow();
    this.work[n] = workMs;
    this.done[n] = fraction;
    this.count = n + 1;
    if (this.count > this.capacity) this.thin();
  }

  clear(): void {
    this.count = 0;
    this.spacingMs = 0;
  }

  private grow(): void {
    const room = Math.min(this.capacity + 1, Math.max(INITIAL_ROOM, this.work.length * 2));
    const work = new Float64Array(room);
    const done = new Float64Array(room);
    work.set(this.work);
    done.set(this.done);
    this.work = work;
    this.done = done;
  }

  /** Keeps every other sample, and the newest. */
  private thin(): void {
    const n = this.count;
    let kept = 0;
    for (let i = 0; i < n; i += 2, kept++) {
      this.work[kept] = this.work[i]!;
      this.done[kept] = this.done[i]!;
    }
    if ((n - 1) % 2 !== 0) {
      this.work[kept] = this.work[n - 1]!;
      this.done[kept] = this.done[n - 1]!;
      kept++;
    }
    this.count = kept;
    this.spacingMs = (this.work[kept - 1]! - this.work[0]!) / Math.max(1, kept - 1);
  }
}

/** Fraction done at work time `workMs`, interpolated between samples (clamped to the ends). */
export function fractionAt(samples: SampleSeries, workMs: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  if (workMs <= samples.workMs(0)) return samples.fraction(0);
  if (workMs >= samples.workMs(n - 1)) return samples.fraction(n - 1);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (samples.workMs(mid) <= workMs) lo = mid;
    else hi = mid;
  }
  const aMs = samples.workMs(lo);
  const aFraction = samples.fraction(lo);
  return aFraction + ((samples.fraction(hi) - aFraction) * (workMs - aMs)) / (samples.workMs(hi) - aMs);
}

/**
 * How unsteady the rate is over [fromMs, toMs] at the scale that matters for an ETA: the
 * coefficient of variation of the rates of `parts` equal sub-spans (per-report rates would
 * mostly measure how ticks are quantised). 0 for steady work, capped at 2.
 */
export function variability(samples: SampleSeries, fromMs: number, toMs: number, parts = 4): number {
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
