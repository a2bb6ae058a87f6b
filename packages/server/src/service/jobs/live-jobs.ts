import { FINAL_STATUSES } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { createEtaTracker, type EtaTracker } from '../../model/eta/tracker.js';
import { progressFieldBit } from '../../store/progress-fields.js';
import { RateMeter } from './rate-meter.js';
import { sampledEta } from './sampled-eta.js';

export interface LiveJob {
  record: JobRecord;
  eta: EtaTracker;
  rate: RateMeter;
  /** When the ETA was last computed; it is recomputed at most every ETA_REFRESH_MS (clients count down in between). */
  etaComputedAt: number;
  /** Queued for the next flush / the next announcement (membership flags of LiveJobs' queues). */
  dirty: boolean;
  unannounced: boolean;
  /**
   * The progress fields changed here since the flusher last took them, as bits of the store's
   * patch shape (see progressShapeOf). Whatever writes a progress field of the record marks it
   * here, and a write holds only those: a field this node merely copied from the store (after a
   * transition replaced the record) is never written back over what another node reported since.
   */
  unflushed: number;
  /** Progress fields answered to a worker and not yet in the journal (see ProgressJournal), and whether it waits to be journaled. */
  unjournaled: number;
  journalQueued: boolean;
  /** The announcer's: monotonic time of the last announcement, and whether a newer one waits for the interval. */
  announcedAt: number;
  held: boolean;
  /** Whether anyone follows this job, as of ProgressInterest version `interestVersion`. */
  interested: boolean;
  interestVersion: number;
}

export const ETA_REFRESH_MS = 250;
const ESTIMATE_FIELDS = progressFieldBit('eta') | progressFieldBit('metrics');

/** Recomputes a running job's ETA and rate when they are older than ETA_REFRESH_MS (when announced or read). */
export function refreshEstimates(entry: LiveJob, at: number): void {
  const record = entry.record;
  // Only a running job's estimates move; reading a finished or paused one must not change it.
  if (record.status !== 'running' || at - entry.etaComputedAt < ETA_REFRESH_MS) return;
  entry.etaComputedAt = at;
  record.eta = entry.eta.estimate(at);
  record.metrics = { ...record.metrics, ratePerSec: entry.rate.ratePerSec() };
  entry.unflushed |= ESTIMATE_FIELDS;
}

/**
 * Whether the cache holds a change the store lacks (a report, roll-up or checkpoint not yet
 * written). A refreshed ETA or rate alone does not count: it is recomputed from the same
 * progress, and an announcement or read refreshes it without scheduling a write.
 */
export function holdsUnwritten(entry: LiveJob): boolean {
  return entry.dirty || (entry.unflushed & ~ESTIMATE_FIELDS) !== 0 || entry.unjournaled !== 0;
}

/**
 * The newest state of unfinished jobs on this node, including progress not yet flushed.
 * Progress ticks only touch this cache; the flusher writes the dirty ones in batches.
 * The queues are arrays with a flag on each entry rather than sets of ids: marking a job
 * runs at report rate, and a flag test costs less than hashing its id twice more.
 */
export class LiveJobs {
  private readonly jobs = new Map<string, LiveJob>();
  /** Jobs whose progress changed since the last flush to the store. */
  private dirtyQueue: LiveJob[] = [];
  /** Jobs whose progress changed since it was last announced to live subscribers. */
  private unannouncedQueue: LiveJob[] = [];
  /** Parents whose roll-up must be recomputed at the next flush. */
  readonly dirtyParents = new Set<string>();
  /** Told when a job's progress changed, so the announcer need not poll. */
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
    const live: LiveJob = { record, eta, rate: new RateMeter(), etaComputedAt: 0, dirty: false, unannounced: false, unflushed: 0, unjournaled: 0, journalQueued: false, announcedAt: -Infinity, held: false, interested: false, interestVersion: -1 };
    if (record.percent > 0 && record.startedAt !== null) live.eta.observe(record.updatedAt, record.percent / 100);
    this.jobs.set(record.id, live);
    return live;
  }

  /** Drops finished jobs once nothing is pending for them. */
  evictIfFinished(id: string): void {
    const live = this.jobs.get(id);
    if (live && FINAL_STATUSES.includes(live.record.status) && !live.dirty && !live.unannounced) this.jobs.delete(id);
  }

  /** Marks a job's progress as changed: to announce soon and to persist at the next flush. */
  touch(id: string): void {
    const entry = this.jobs.get(id);
    if (entry) this.touchEntry(entry);
  }

  touchEntry(entry: LiveJob): void {
    this.markDirty(entry);
    if (entry.unannounced) return;
    entry.unannounced = true;
    this.unannouncedQueue.push(entry);
    this.onTouched?.();
  }

  /** To persist at the next flush, without announcing (a handler's checkpoint; a failed write to retry). */
  markDirty(entry: LiveJob): void {
    if (entry.dirty) return;
    entry.dirty = true;
    this.dirtyQueue.push(entry);
  }

  /** The jobs to flush, each once; they are no longer dirty. */
  takeDirty(): LiveJob[] {
    const taken = this.dirtyQueue;
    this.dirtyQueue = [];
    for (const entry of taken) entry.dirty = false;
    return taken;
  }

  /** The jobs to announce, each once; they are no longer unannounced. */
  takeUnannounced(): LiveJob[] {
    const taken = this.unannouncedQueue;
    this.unannouncedQueue = [];
    for (const entry of taken) entry.unannounced = false;
    return taken;
  }

  get dirtyCount(): number {
    return this.dirtyQueue.length;
  }

  get unannouncedCount(): number {
    return this.unannouncedQueue.length;
  }

  values(): IterableIterator<LiveJob> {
    return this.jobs.values();
  }

  get size(): number {
    return this.jobs.size;
  }
}
