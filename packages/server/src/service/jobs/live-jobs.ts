import { FINAL_STATUSES } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { createEtaTracker, type EtaTracker } from '../../model/eta/tracker.js';
import { RateMeter } from './rate-meter.js';
import { sampledEta } from './sampled-eta.js';

export interface LiveJob {
  record: JobRecord;
  eta: EtaTracker;
  rate: RateMeter;
  /** When the ETA was last computed; it is recomputed at most every ETA_REFRESH_MS (clients count down in between). */
  etaComputedAt: number;
}

export const ETA_REFRESH_MS = 250;

/**
 * The newest state of unfinished jobs on this node, including progress not yet flushed.
 * Progress ticks only touch this cache; the flusher writes the dirty ones in batches.
 */
export class LiveJobs {
  private readonly jobs = new Map<string, LiveJob>();
  /** Jobs whose progress changed since the last flush to the store. */
  readonly dirty = new Set<string>();
  /** Jobs whose progress changed since it was last announced to live subscribers. */
  readonly unannounced = new Set<string>();
  /** Parents whose roll-up must be recomputed at the next flush. */
  readonly dirtyParents = new Set<string>();
  /** Told when a job's progress changed, so the announcer need not poll `unannounced`. */
  onTouched: (() => void) | null = null;

  /** `priorOf` gives the known work durations of a job type, the ETA's prior before progress. */
  constructor(private readonly priorOf: (type: string) => number[] = () => []) {}

  get(id: string): LiveJob | undefined {
    return this.jobs.get(id);
  }

  /** Caches an unfinished job; finished jobs are not kept (their state no longer changes). */
  put(record: JobRecord): LiveJob | undefined {
    const existing = this.jobs.get(record.id);
    if (existing) {
      existing.record = record;
      return existing;
    }
    if (FINAL_STATUSES.includes(record.status)) return undefined;
    const eta = sampledEta(createEtaTracker({ priorDurationsMs: this.priorOf(record.type), startedAt: record.startedAt, pausedMs: record.pausedMs }));
    const live: LiveJob = { record, eta, rate: new RateMeter(), etaComputedAt: 0 };
    if (record.percent > 0 && record.startedAt !== null) live.eta.observe(record.updatedAt, record.percent / 100);
    this.jobs.set(record.id, live);
    return live;
  }

  /** Drops finished jobs once nothing is pending for them. */
  evictIfFinished(id: string): void {
    const live = this.jobs.get(id);
    if (live && FINAL_STATUSES.includes(live.record.status) && !this.dirty.has(id) && !this.unannounced.has(id)) this.jobs.delete(id);
  }

  /** Marks a job's progress as changed: to announce soon and to persist at the next flush. */
  touch(id: string): void {
    this.dirty.add(id);
    this.unannounced.add(id);
    this.onTouched?.();
  }

  values(): IterableIterator<LiveJob> {
    return this.jobs.values();
  }

  get size(): number {
    return this.jobs.size;
  }
}
