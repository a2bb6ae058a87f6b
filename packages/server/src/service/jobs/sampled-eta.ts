import type { Eta } from '@headway/protocol';
import type { EtaMethodName, EtaTracker } from '../../model/eta/tracker.js';

/** A job reported more often than this feeds its ETA tracker one sample per interval. */
export const ETA_SAMPLE_MS = 100;

/**
 * Feeds an ETA tracker at most one report per ETA_SAMPLE_MS: a busy worker reports a job
 * hundreds of times a second, and each sample costs the tracker more than the rest of the
 * report, while its window thins close samples anyway. The newest report is never lost: it
 * waits as the pending sample and reaches the tracker before anything reads or pauses it, so
 * estimates are always as of the latest report. A lower fraction (a reset) goes in at once.
 */
export function sampledEta(tracker: EtaTracker): EtaTracker {
  return new SampledEta(tracker);
}

// A class, not a closure: its numbers sit in fields V8 rewrites in place, where closure variables
// boxed a new number at every report of every job.
class SampledEta implements EtaTracker {
  private fedAt = -Infinity;
  private fedFraction = -Infinity;
  private pendingAt = 0;
  /** NaN when no report waits. */
  private pendingFraction = Number.NaN;

  constructor(private readonly tracker: EtaTracker) {}

  observe(now: number, fraction: number): void {
    const pending = Number.isNaN(this.pendingFraction) ? this.fedFraction : this.pendingFraction;
    if (now - this.fedAt >= ETA_SAMPLE_MS || now < this.fedAt || fraction < pending) {
      this.flush();
      this.feed(now, fraction);
      return;
    }
    this.pendingAt = now;
    this.pendingFraction = fraction;
  }

  pause(now: number): void {
    this.flush();
    this.tracker.pause(now);
  }

  resume(now: number): void {
    this.flush();
    this.tracker.resume(now);
  }

  estimate(now: number): Eta | null {
    this.flush();
    return this.tracker.estimate(now);
  }

  estimateAll(now: number): Record<EtaMethodName, Eta | null> {
    this.flush();
    return this.tracker.estimateAll(now);
  }

  get sampleCount(): number {
    this.flush();
    return this.tracker.sampleCount;
  }

  private feed(now: number, fraction: number): void {
    this.tracker.observe(now, fraction);
    this.fedAt = now;
    this.fedFraction = fraction;
  }

  private flush(): void {
    if (Number.isNaN(this.pendingFraction)) return;
    const fraction = this.pendingFraction;
    this.pendingFraction = Number.NaN;
    this.feed(this.pendingAt, fraction);
  }
}
