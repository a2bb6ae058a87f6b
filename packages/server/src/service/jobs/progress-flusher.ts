import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import { planRollup } from '../../model/rollup.js';
import type { Store } from '../../store/store.js';
import type { HeadwayStats } from '../../headway.js';
import type { JobCommitter } from './job-committer.js';
import type { LiveJobs } from './live-jobs.js';
import { progressPatchOf } from './progress-fields.js';

export interface FlusherDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  committer: JobCommitter;
  logger: Logger;
  stats: HeadwayStats;
  now: () => number;
  intervalMs: number;
}

/**
 * Writes coalesced progress in one transaction per interval, announces it (newest state per
 * job, once per flush) and recomputes the roll-up of parents whose children changed.
 */
export class ProgressFlusher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: FlusherDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Flushes now; concurrent calls share one pass, then run once more for what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private async pass(): Promise<void> {
    const { live, store, bus, logger, now } = this.deps;
    const ids = [...live.dirty];
    live.dirty.clear();
    const at = now();
    const patches = [];
    const jobs = [];
    for (const id of ids) {
      const entry = live.get(id);
      if (!entry) continue;
      const record = entry.record;
      record.eta = record.status === 'running' ? entry.eta.estimate(at) : record.eta;
      record.metrics = { ...record.metrics, ratePerSec: entry.rate.ratePerSec() };
      patches.push(progressPatchOf(record));
      jobs.push(record);
    }
    if (patches.length > 0) {
      try {
        await store.jobs.saveProgress(patches);
        this.deps.stats.flushes++;
      } catch (error) {
        for (const id of ids) live.dirty.add(id); // keep them for the next pass
        logger.error({ err: error, jobs: ids.length }, 'progress:flush failed; will retry at the next interval');
        return;
      }
      for (const record of jobs) {
        bus.publish({
          type: 'progress',
          owner: record.owner,
          parentId: record.parentId,
          update: {
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
          },
        });
        live.evictIfFinished(record.id);
      }
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
          // Progress-only roll-ups are state: merge into the cache for the next flush.
          if (plan.events.length === 0) {
            const entry = live.get(parentId);
            if (entry && Object.keys(plan.patch).length > 0) {
              Object.assign(entry.record, plan.patch);
              live.dirty.add(parentId);
            }
            return null;
          }
          return plan;
        });
      } catch (error) {
        logger.error({ err: error, parentId }, 'rollup:failed; will retry at the next change');
      }
    }
  }
}
