import type { Eta } from '@headway/protocol';
import { etaFromRate } from './uncertainty.js';

const MIN_TAU_MS = 2_000;
const MAX_TAU_MS = 15 * 60_000;

/**
 * Exponentially smoothed rate, weighted by time rather than by report: each interval weighs
 * 1 − e^(−Δt/τ), so how much history counts does not depend on how often a worker reports
 * (tqdm's EMA weighs every update alike; its PR #1005 asks for a "smoothing time"). τ is a
 * tenth of the work time so far (2 s – 15 min), so it suits a 30-second job and a 10-hour one
 * alike. O(1) per report, no sample history. It follows speed changes quickly but is thrown
 * by a stall or a burst: the tracker prefers the adaptive estimate.
 */
export class EwmaRate {
  // Plain number fields updated in place: this runs for every sample of every job, and a fresh
  // state object per sample was still alive at each scavenge. NaN, not null, for "no rate yet"
  // keeps the field a double that V8 rewrites where it stands.
  /** Samples in this series; 0 before the first. */
  private count = 0;
  private lastWorkMs = 0;
  private lastFraction = 0;
  /** Smoothed rate, fraction per work millisecond; NaN until some work time has passed. */
  private rate = Number.NaN;
  /** Smoothed squared deviation of chunk rates from `rate`. */
  private variance = 0;
  /** Progress and time gathered since the last variance update. */
  private chunkGained = 0;
  private chunkMs = 0;
  /** How many chunks the variance has seen. */
  private chunks = 0;

  observe(workMs: number, fraction: number): void {
    if (this.count === 0) return this.begin(workMs, fraction);
    const dt = workMs - this.lastWorkMs;
    if (dt <= 0) {
      this.lastFraction = Math.max(this.lastFraction, fraction);
      return;
    }
    const gained = fraction - this.lastFraction;
    const r = gained / dt;
    const tau = Math.min(MAX_TAU_MS, Math.max(MIN_TAU_MS, workMs / 10));
    const alpha = 1 - Math.exp(-dt / tau);
    const hadRate = !Number.isNaN(this.rate);
    const rate = hadRate ? this.rate + alpha * (r - this.rate) : r;
    // Variance over chunks of a quarter τ: per-report rates mostly measure how ticks are quantised.
    this.chunkGained += gained;
    this.chunkMs += dt;
    if (this.chunkMs >= tau / 4 && hadRate) {
      this.chunks++;
      const chunkAlpha = 1 - Math.exp(-this.chunkMs / tau);
      const deviation = this.chunkGained / this.chunkMs - rate;
      this.variance = (1 - chunkAlpha) * this.variance + chunkAlpha * deviation * deviation;
      this.chunkGained = 0;
      this.chunkMs = 0;
    }
    this.rate = rate;
    this.lastWorkMs = workMs;
    this.lastFraction = fraction;
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }

  /** The estimate as of the newest report. */
  estimate(at: number): Eta | null {
    if (this.count === 0 || Number.isNaN(this.rate)) return null;
    const cv = this.chunks < 2 ? 1 : Math.min(2, Math.sqrt(this.variance) / this.rate);
    return etaFromRate('ewma', this.rate, this.lastFraction, cv, this.count, at);
  }

  private begin(workMs: number, fraction: number): void {
    this.count = 1;
    this.lastWorkMs = workMs;
    this.lastFraction = fraction;
    this.rate = Number.NaN;
    this.variance = 0;
    this.chunkGained = 0;
    this.chunkMs = 0;
    this.chunks = 0;
  }
}
