import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import { progressShapeOf } from '../../store/progress-fields.js';
import type { ProgressPatch, Store } from '../../store/store.js';
import type { HeadwayStats } from '../../headway.js';
import type { JobCommitter } from './job-committer.js';
import type { LiveJob, LiveJobs } from './live-jobs.js';
import { rollUpParents } from './parent-rollup.js';
import { ProgressAnnouncer } from './progress-announcer.js';
import type { ProgressInterest } from './progress-interest.js';
import type { ProgressJournal } from './progress-journal.js';
import { takeChangedProgress } from './progress-fields.js';

/**
 * Jobs written per store transaction. A transaction holds SQLite's write lock (on the writer
 * thread; on the event loop where there is none), and a transition committed meanwhile waits that
 * long: 0.55 ms for 50 rows in id order here (p99 1.5 ms), against 1.1 ms for 100, for the same
 * total. At 25 the total grew by a third.
 */
const FLUSH_SLICE = 50;
/**
 * Share of a core the flush may take. Writing 1,000 busy jobs costs 7–13 ms on SQLite here
 * whatever the interval, so under load the interval stretches (at most MAX_STRETCH times) rather
 * than letting the store starve reports and announcements of CPU. Rows need not be fresher: the journal
 * holds answered progress and this node's reads and live updates come from the cache. At a tenth,
 * 1,000 jobs reported 10,000 times a second were rewritten every 100 ms and the server took 36%
 * of a core (mean of 8 rounds); at a fiftieth every ~400 ms, and 29%.
 */
const FLUSH_BUSY_SHARE = 0.02;
const MAX_STRETCH = 10;

/** The wait before the next flush, given how long the last one kept a thread busy. */
export function nextFlushDelayMs(intervalMs: number, lastFlushBusyMs: number): number {
  return Math.min(intervalMs * MAX_STRETCH, Math.max(intervalMs, lastFlushBusyMs / FLUSH_BUSY_SHARE));
}

export interface FlusherDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  committer: JobCommitter;
  logger: Logger;
  stats: HeadwayStats;
  now: () => number;
  /** How often coalesced progress is written to the store (in transactions of FLUSH_SLICE jobs; stretched under load). */
  flushIntervalMs: number;
  /** A job's progress is announced to live subscribers at most once per this interval. */
  announceIntervalMs: number;
  interest: ProgressInterest;
  /** The percents at which a job of this type records a milestone: a batch's roll-up records them too. */
  milestonePercents: (type: string) => number[];
  /** Rows of it a flush covered are dropped once the flush is written. */
  journal: ProgressJournal;
}

/**
 * Progress ticks are state, not history: the newest value per job is announced to live
 * subscribers as soon as the reporting code yields (see ProgressAnnouncer) and written to the store
 * once per flush interval, in slices that leave the event loop free in between. The flush also
 * recomputes the roll-up of parents whose children changed.
 */
export class ProgressFlusher {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private lastFlushBusyMs = 0;
  private journalDroppedThrough = 0;
  private running = false;
  private readonly announcer: ProgressAnnouncer;

  constructor(private readonly deps: FlusherDeps) {
    this.announcer = new ProgressAnnouncer({ live: deps.live, bus: deps.bus, now: deps.now, minIntervalMs: deps.announceIntervalMs, interest: deps.interest });
  }

  start(): void {
    this.running = true;
    this.announcer.start();
    this.scheduleFlush();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.announcer.stop();
    await this.flush();
    // That pass rolled children up into their parents' cache entries: write those too.
    if (this.deps.live.dirtyCount > 0) await this.flush();
    // A flush drops only the rows written before it began; reports answered meanwhile are journaled
    // after it. With nothing left unwritten, those rows hold progress the store has too: a clean
    // stop leaves none (they would be replayed, to no effect, at the next start).
    await this.deps.journal.settled();
    if (this.deps.live.dirtyCount === 0) await this.dropJournal(this.deps.journal.writtenThrough);
  }

  /** Publishes the newest progress of every job that changed since it was last announced. */
  announce(): void {
    this.announcer.announce(true);
  }

  /** Writes now; concurrent calls share one pass, then run once more for what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.persist().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private scheduleFlush(): void {
    this.timer = setTimeout(() => {
      void this.flush().finally(() => {
        if (this.running) this.scheduleFlush();
      });
    }, nextFlushDelayMs(this.deps.flushIntervalMs, this.lastFlushBusyMs));
    this.timer.unref();
  }

  private async dropJournal(throughId: number): Promise<void> {
    if (throughId <= this.journalDroppedThrough) return;
    try {
      await this.deps.journal.dropThrough(throughId);
      this.journalDroppedThrough = throughId;
    } catch (error) {
      // Kept rows are only replayed at the next start, where they change nothing already written.
      this.deps.logger.warn({ err: error }, 'progress:journal rows could not be dropped; will retry at the next flush');
    }
  }

  private async persist(): Promise<void> {
    const { live, store, logger } = this.deps;
    // In id order (ids rise with creation, as rows are laid out): each slice then rewrites a run of
    // neighbouring pages. In report order a slice of 100 jobs touched six times as many pages,
    // and SQLite's WAL, with the checkpoints and fsyncs that copy it back, grew as much. On
    // PostgreSQL, nodes flushing the same jobs also lock their rows in one order.
    // Every job in the journal up to here was reported before this flush takes the dirty jobs:
    // written by this flush or an earlier one, so those rows can go once this one is written.
    const journaledThrough = this.deps.journal.writtenThrough;
    const entries = live.takeDirty().sort(byJobId);
    let busyMs = 0;
    for (let start = 0; start < entries.length; start += FLUSH_SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve)); // let reports and announcements in
      const slice = entries.slice(start, start + FLUSH_SLICE);
      const changes = slice.map(takeChangedProgress);
      const patches = changes.filter((patch) => patch !== null);
      if (patches.length === 0) continue;
      let stale: Set<string>;
      try {
        const saved = await store.jobs.saveProgress(patches);
        // Only the time the write held a thread counts (SQLite's, on its thread or the loop; building
        // the query on PostgreSQL): waiting on the network takes no core, so it must not stretch
        // the interval and leave ticks unwritten for longer.
        busyMs += saved.busyMs;
        stale = new Set(saved.stale);
      } catch (error) {
        slice.forEach((entry, i) => untake(entry, changes[i]!)); // their changes were taken: mark them again
        for (const entry of entries.slice(start)) live.markDirty(entry); // keep them for the next pass
        logger.error({ err: error, jobs: entries.length - start }, 'progress:flush failed; will retry at the next interval');
        return;
      }
      slice.forEach((entry, i) => {
        const patch = changes[i];
        if (patch && stale.has(entry.record.id)) {
          // A durable change was committed meanwhile (its seq won): write the same fields again
          // under it, unless this node has not seen that change (it will when it arrives).
          untake(entry, patch);
          if (entry.record.seq !== patch.seq) live.markDirty(entry);
        }
        live.evictIfFinished(entry.record.id);
      });
    }
    this.lastFlushBusyMs = busyMs;
    if (entries.length > 0) this.deps.stats.flushes++;
    await this.dropJournal(journaledThrough);
    await rollUpParents(this.deps);
  }
}

/** Marks a taken patch's fields unwritten again (a failed or refused write), with what changed since. */
function untake(entry: LiveJob, patch: ProgressPatch | null): void {
  if (patch) entry.unflushed |= progressShapeOf(patch);
}

function byJobId(a: LiveJob, b: LiveJob): number {
  return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
}
