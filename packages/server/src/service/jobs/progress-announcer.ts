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
 * Publishes the newest progress of changed jobs to live subscribers. Changes go out as soon as
 * the code that made them yields (a microtask: one pass for a whole batch of reports, before its
 * HTTP answer is written), so an update waits for no timer. A job announced less than
 * `minIntervalMs` ago is held until that interval has passed (its ticks conflate meanwhile):
 * a job reported thousands of times a second costs its subscribers at most 1000 / minIntervalMs
 * messages a second, and a pass costs only the jobs touched since the last one.
 */
export class ProgressAnnouncer {
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  /** Monotonic time each recently announced job went out, oldest first; older than the interval is forgotten. */
  private readonly announcedAt = new Map<string, number>();
  /** Jobs changed again within their interval, waiting for the timer. */
  private readonly held = new Set<string>();
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.announce(true);
  }

  /** Publishes what changed; `all` also publishes the held jobs, ignoring their interval. */
  announce(all = false): void {
    const { live, minIntervalMs } = this.deps;
    // The interval is real time: a test's frozen service clock must not hold updates back forever.
    const mono = performance.now();
    this.forgetBefore(mono - minIntervalMs);
    const at = this.deps.now();
    if (all) for (const id of this.held) this.publish(id, at, mono);
    for (const id of live.unannounced) {
      live.unannounced.delete(id);
      if (this.announcedAt.has(id)) this.held.add(id);
      else this.publish(id, at, mono);
    }
    this.wakeForHeld();
  }

  private publish(id: string, at: number, mono: number): void {
    this.held.delete(id);
    const entry = this.deps.live.get(id);
    if (!entry) return; // evicted (finished): its final state went out with its transition
    const record = entry.record;
    if (at - entry.etaComputedAt >= ETA_REFRESH_MS) {
      entry.etaComputedAt = at;
      if (record.status === 'running') record.eta = entry.eta.estimate(at);
      record.metrics = { ...record.metrics, ratePerSec: entry.rate.ratePerSec() };
    }
    this.deps.bus.publish({ type: 'progress', owner: record.owner, parentId: record.parentId, update: progressUpdateOf(record, at) });
    this.announcedAt.delete(id); // re-inserted last, so the map stays in time order
    this.announcedAt.set(id, mono);
  }

  private schedule(): void {
    if (!this.running || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.announce();
    });
  }

  /** Held jobs go out when the oldest announcement among them is an interval old. */
  private wakeForHeld(): void {
    if (!this.running || this.timer || this.held.size === 0) return;
    let firstDueAt = Infinity;
    for (const [id, announced] of this.announcedAt) {
      if (!this.held.has(id)) continue;
      firstDueAt = announced + this.deps.minIntervalMs;
      break;
    }
    const delayMs = firstDueAt === Infinity ? 0 : Math.max(0, Math.ceil(firstDueAt - performance.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.releaseDue();
    }, delayMs);
    this.timer.unref();
  }

  private releaseDue(): void {
    const mono = performance.now();
    this.forgetBefore(mono - this.deps.minIntervalMs);
    const at = this.deps.now();
    for (const id of this.held) if (!this.announcedAt.has(id)) this.publish(id, at, mono);
    this.wakeForHeld();
  }

  private forgetBefore(cutoff: number): void {
    for (const [id, announced] of this.announcedAt) {
      if (announced > cutoff) break;
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
