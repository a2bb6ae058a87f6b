import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import { planRollup } from '../../model/rollup.js';
import type { Store } from '../../store/store.js';
import type { HeadwayStats } from '../../headway.js';
import type { JobCommitter } from './job-committer.js';
import { ETA_REFRESH_MS, type LiveJobs } from './live-jobs.js';
import { progressPatchOf } from './progress-fields.js';
import type { JobRecord } from '../../model/job-record.js';

export interface FlusherDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  committer: JobCommitter;
  logger: Logger;
  stats: HeadwayStats;
  now: () => number;
  /** How often coalesced progress is written to the store (one transaction per pass). */
  flushIntervalMs: number;
  /** How often coalesced progress is announced to live subscribers; shorter, for latency. */
  announceIntervalMs: number;
}

/**
 * Progress ticks are state, not history: the newest value per job is announced to live
 * subscribers every few milliseconds and written to the store in one transaction per flush
 * interval. The flush also recomputes the roll-up of parents whose children changed.
 */
export class ProgressFlusher {
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly deps: FlusherDeps) {}

  start(): void {
    this.timers.push(setInterval(() => this.announce(), this.deps.announceIntervalMs));
    this.timers.push(setInterval(() => void this.flush(), this.deps.flushIntervalMs));
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.announce();
    await this.flush();
  }

  /** Publishes the newest progress of every job that changed since the last announcement. */
  announce(): void {
    const { live, bus, now } = this.deps;
    if (live.unannounced.size === 0) return;
    const at = now();
    for (const id of live.unannounced) {
      const entry = live.get(id);
      if (!entry) continue;
      const record = entry.record;
      if (at - entry.etaComputedAt >= ETA_REFRESH_MS) {
        entry.etaComputedAt = at;
        if (record.status === 'running') record.eta = entry.eta.estimate(at);
        record.metrics = { ...record.metrics, ratePerSec: entry.rate.ratePerSec() };
      }
      bus.publish({ type: 'progress', owner: record.owner, parentId: record.parentId, update: progressUpdateOf(record, at) });
    }
    live.unannounced.clear();
  }

  /** Writes now; concurrent calls share one pass, then run once more for what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.persist().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async persist(): Promise<void> {
    const { live, store, logger } = this.deps;
    const ids = [...live.dirty];
    live.dirty.clear();
    const records = ids.flatMap((id) => live.get(id)?.record ?? []);
    if (records.length > 0) {
      try {
        await store.jobs.saveProgress(records.map(progressPatchOf));
        this.deps.stats.flushes++;
      } catch (error) {
        for (const id of ids) live.dirty.add(id); // keep them for the next pass
        logger.error({ err: error, jobs: ids.length }, 'progress:flush failed; will retry at the next interval');
        return;
      }
      for (const record of records) live.evictIfFinished(record.id);
    }
    await this.rollUpParents();
  }

  private async rollUpParents(): Promise<void> {
    const { live, store, committer, logger, now } = this.deps;
    const parents = [...live.dirtyParents];
    live.dirtyParents.clear();
    for (const parentId of parents) {
      try {
        const summary = await store.jobs.childSummary(parentId);
        await committer.change(parentId, (parent) => {
          const plan = planRollup(parent, summary, now());
          if (plan.events.length > 0) return plan;
          // A roll-up without a transition is progress: merge it into the cache like a tick.
          const entry = live.get(parentId);
          if (entry && Object.keys(plan.patch).length > 0) {
            Object.assign(entry.record, plan.patch);
            live.touch(parentId);
          }
          return null;
        });
      } catch (error) {
        logger.error({ err: error, parentId }, 'rollup:failed; will retry at the next change');
      }
    }
  }
}

function progressUpdateOf(record: JobRecord, at: number) {
  return {
    jobId: record.id,
    seq: record.seq,
    at,
    job: {
      percent: record.percent,
      done: record.done,
      total: record.total,
      unit: record.unit,
      currentStep: record.currentStep,
      message: record.message,
      eta: record.eta,
      metrics: record.metrics,
      counts: record.counts,
      updatedAt: record.updatedAt,
    },
  };
}
