import type { Bus } from '../../bus/bus.js';
import type { JobRecord } from '../../model/job-record.js';
import { refreshEstimates, type LiveJob, type LiveJobs } from './live-jobs.js';
import type { ProgressInterest } from './progress-interest.js';

export interface AnnouncerDeps {
  live: LiveJobs;
  bus: Bus;
  /** The service clock, stamped on each update. */
  now: () => number;
  /** A job's progress is announced at most once per this interval. */
  minIntervalMs: number;
  /** Progress of a job nobody follows is not announced (its ETA is refreshed when it is read). */
  interest: ProgressInterest;
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
  /** Jobs changed again within their interval, waiting for the timer (each has `held` set). */
  private held: LiveJob[] = [];
  private running = false;

  constructor(private readonly deps: AnnouncerDeps) {}

  start(): void {
    this.running = true;
    this.deps.live.onTouched = () => this.schedule();
    if (this.deps.live.unannouncedCount > 0) this.schedule();
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
    // The interval is real time: a test's frozen service clock must not hold updates back forever.
    const mono = performance.now();
    const cutoff = all ? Infinity : mono - this.deps.minIntervalMs;
    const at = this.deps.now();
    const { interest } = this.deps;
    for (const entry of this.deps.live.takeUnannounced()) {
      if (entry.held) continue; // goes out with its newest state when its interval has passed
      if (entry.interestVersion !== interest.version) {
        entry.interested = interest.wants(entry.record.id, entry.record.owner);
        entry.interestVersion = interest.version;
      }
      if (!entry.interested) continue; // a follower that comes later starts from a snapshot
      if (entry.announcedAt > cutoff) {
        entry.held = true;
        this.held.push(entry);
      } else this.publish(entry, at, mono);
    }
    if (all) this.releaseHeld(Infinity, at, mono);
    this.wakeForHeld();
  }

  private publish(entry: LiveJob, at: number, mono: number): void {
    entry.held = false;
    entry.announcedAt = mono;
    const record = entry.record;
    if (this.deps.live.get(record.id) !== entry) return; // evicted (finished): its final state went out with its transition
    refreshEstimates(entry, at);
    this.deps.bus.publish({ type: 'progress', owner: record.owner, parentId: record.parentId, update: progressUpdateOf(record, at) });
  }

  private schedule(): void {
    if (!this.running || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.announce();
    });
  }

  /** Publishes the held jobs announced at or before `cutoff`; the others keep waiting. */
  private releaseHeld(cutoff: number, at: number, mono: number): void {
    const waiting: LiveJob[] = [];
    for (const entry of this.held) {
      if (!entry.held) continue;
      if (entry.announcedAt <= cutoff) this.publish(entry, at, mono);
      else waiting.push(entry);
    }
    this.held = waiting;
  }

  /** Held jobs go out when the oldest announcement among them is an interval old. */
  private wakeForHeld(): void {
    if (!this.running || this.timer || this.held.length === 0) return;
    let oldest = Infinity;
    for (const entry of this.held) oldest = Math.min(oldest, entry.announcedAt);
    const delayMs = Math.max(0, Math.ceil(oldest + this.deps.minIntervalMs - performance.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      const mono = performance.now();
      this.releaseHeld(mono - this.deps.minIntervalMs, this.deps.now(), mono);
      this.wakeForHeld();
    }, delayMs);
    this.timer.unref();
  }
}

/** A job's progress as live subscribers receive it (the fields a tick can change). */
export function progressUpdateOf(record: JobRecord, at: number) {
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
