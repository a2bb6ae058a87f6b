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
  let fedAt = -Infinity;
  let fedFraction = -Infinity;
  let pendingAt = 0;
  let pendingFraction: number | null = null;

  const feed = (now: number, fraction: number) => {
    tracker.observe(now, fraction);
    fedAt = now;
    fedFraction = fraction;
  };
  const flush = () => {
    if (pendingFraction === null) return;
    const fraction = pendingFraction;
    pendingFraction = null;
    feed(pendingAt, fraction);
  };

  return {
    observe(now, fraction) {
      if (now - fedAt >= ETA_SAMPLE_MS || now < fedAt || fraction < (pendingFraction ?? fedFraction)) {
        flush();
        feed(now, fraction);
        return;
      }
      pendingAt = now;
      pendingFraction = fraction;
    },
    pause(now) {
      flush();
      tracker.pause(now);
    },
    resume(now) {
      flush();
      tracker.resume(now);
    },
    estimate(now): Eta | null {
      flush();
      return tracker.estimate(now);
    },
    estimateAll(now): Record<EtaMethodName, Eta | null> {
      flush();
      return tracker.estimateAll(now);
    },
    get sampleCount() {
      flush();
      return tracker.sampleCount;
    },
  };
}
