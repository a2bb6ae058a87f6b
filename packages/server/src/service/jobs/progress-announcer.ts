import type { Bus } from '../../bus/bus.js';
import type { JobRecord } from '../../model/job-record.js';
import { ETA_REFRESH_MS, type LiveJobs } from './live-jobs.js';

export interface AnnouncerDeps {
  live: LiveJobs;
  bus: Bus;
  /** The service clock, stamped on each update. */
  now: () => number;
  /** A job's progress is announced at most once per this interval. */
  minIntervalMs: number;
}

/**
 * Publishes the newest progress of changed jobs to live subscribers. A change goes out on the
 * next turn of the event loop, together with every other report of that turn, so a quiet job's
 * update waits for no timer. A job announced less than `minIntervalMs` ago waits out the rest
 * of that interval (its ticks conflate meanwhile): a job reported thousands of times a second
 * costs its subscribers at most 1000 / minIntervalMs messages a second.
 */
export class ProgressAnnouncer {
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Infinity;
  /** Monotonic time each recently announced job went out, oldest first; older than the interval is forgotten. */
  private readonly announcedAt = new Map<string, number>();
  private running = false;

  constructor(private readonly deps: AnnouncerDeps) {}

  start(): void {
    this.running = true;
    this.deps.live.onTouched = () => this.schedule();
    if (this.deps.live.unannounced.size > 0) this.schedule();
  }

  /** Stops scheduling and announces everything still pending. */
  stop(): void {
    this.running = false;
    this.deps.live.onTouched = null;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = this.timer = null;
    this.announce(true);
  }

  /** Publishes what changed; `all` ignores the per-job interval. */
  announce(all = false): void {
    const { live, bus, now, minIntervalMs } = this.deps;
    if (live.unannounced.size === 0) return;
    // The interval is real time: a test's frozen service clock must not hold updates back forever.
    const mono = performance.now();
    this.forgetBefore(mono - minIntervalMs);
    const at = now();
    let nextDueAt = Infinity;
    for (const id of live.unannounced) {
      const last = this.announcedAt.get(id);
      if (!all && last !== undefined) {
        nextDueAt = Math.min(nextDueAt, last + minIntervalMs);
        continue;
      }
      live.unannounced.delete(id);
      const entry = live.get(id);
      if (!entry) continue;
      const record = entry.record;
      if (at - entry.etaComputedAt >= ETA_REFRESH_MS) {
        entry.etaComputedAt = at;
        if (record.status === 'running') record.eta = entry.eta.estimate(at);
        record.metrics = { ...record.metrics, ratePerSec: entry.rate.ratePerSec() };
      }
      bus.publish({ type: 'progress', owner: record.owner, parentId: record.parentId, update: progressUpdateOf(record, at) });
      this.announcedAt.delete(id); // re-inserted last, so the map stays in time order
      this.announcedAt.set(id, mono);
    }
    if (nextDueAt !== Infinity) this.wakeAt(nextDueAt, mono);
  }

  private schedule(): void {
    if (!this.running || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.announce();
    });
  }

  private wakeAt(dueAt: number, mono: number): void {
    if (!this.running || (this.timer && this.timerDueAt <= dueAt)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDueAt = Infinity;
      this.announce();
    }, Math.max(0, Math.ceil(dueAt - mono)));
    this.timer.unref();
  }

  private forgetBefore(cutoff: number): void {
    for (const [id, at] of this.announcedAt) {
      if (at > cutoff) break;
      this.announcedAt.delete(id);
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
