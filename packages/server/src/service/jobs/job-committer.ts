import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import { toJobView, type JobRecord } from '../../model/job-record.js';
import type { TransitionPlan } from '../../model/transitions.js';
import type { Store } from '../../store/store.js';
import type { JobLocks } from './job-locks.js';
import { holdsUnwritten, type LiveJobs } from './live-jobs.js';
import { mergeDurable } from './progress-fields.js';

const MAX_RACE_RETRIES = 5;

export interface Committed {
  record: JobRecord;
  events: JobEvent[];
}

export interface CommitterDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  locks: JobLocks;
  logger: Logger;
  now: () => number;
  /** Called after a change is stored and published (roll-up, ETA, runtime wake-ups). */
  afterCommit: (committed: Committed, previous: JobRecord) => void;
  /** Other nodes write the same store (a shared bus): a cached job may be older than its row. */
  sharedStore: boolean;
}

/**
 * Applies durable changes: plans against the newest state, writes them with an optimistic
 * seq check (retrying when another node won the race), then announces them. Written before
 * announced, in seq order per job.
 */
export class JobCommitter {
  constructor(private readonly deps: CommitterDeps) {}

  change(id: string, plan: (current: JobRecord) => TransitionPlan | null): Promise<Committed> {
    return this.deps.locks.run(id, async () => {
      for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
        const current = await this.load(id, attempt > 0);
        const planned = plan(current);
        if (!planned || (planned.events.length === 0 && Object.keys(planned.patch).length === 0)) {
          return { record: current, events: [] };
        }
        const now = this.deps.now();
        const patch = { ...planned.patch, updatedAt: now, activeAt: now };
        const result = await this.deps.store.jobs.commit({ id, expectedSeq: current.seq, patch, events: planned.events }, now);
        if (!result.ok) continue;
        const record: JobRecord = { ...current, ...patch, seq: current.seq + result.events.length };
        this.announce(record, result.events, current);
        return { record, events: result.events };
      }
      throw new HeadwayError('CONFLICT', `job ${id} is being changed concurrently; try again`);
    });
  }

  /**
   * The newest state: the cache, or the store (keeping unflushed progress from the cache). With
   * other nodes, a cached job holding nothing unwritten is read from the store: its reports may
   * have gone through another node, and a completion planned from the cache announced its older
   * progress as the final one.
   */
  async load(id: string, fromStore = false): Promise<JobRecord> {
    const cached = this.deps.live.get(id);
    const mayBeBehind = cached !== undefined && this.deps.sharedStore && !holdsUnwritten(cached);
    if (cached && !fromStore && !mayBeBehind) return cached.record;
    const stored = await this.deps.store.jobs.get(id);
    if (!stored) throw new HeadwayError('JOB_NOT_FOUND', `job ${id} does not exist`);
    if (cached) {
      cached.record = holdsUnwritten(cached) ? mergeDurable(cached.record, stored) : stored;
      return cached.record;
    }
    return this.deps.live.put(stored)?.record ?? stored;
  }

  /** Caches and publishes a change the store already made (commits, claims, requeues). */
  announce(record: JobRecord, events: JobEvent[], previous: JobRecord): void {
    const cached = this.deps.live.get(record.id);
    if (cached) cached.record = record;
    else this.deps.live.put(record);
    const job = toJobView(record);
    for (const event of events) this.deps.bus.publish({ type: 'event', event, job });
    this.deps.afterCommit({ record, events }, previous);
  }
}
