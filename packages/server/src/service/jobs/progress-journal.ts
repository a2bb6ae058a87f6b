import { HeadwayError } from '@headway/protocol';
import type { Logger } from 'pino';
import type { JournalEntry, LeftJournal, Store } from '../../store/store.js';
import type { LiveJob } from './live-jobs.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Makes answered progress durable without writing every job's row: reports are applied to the
 * cache at once, and their answer waits for one journal row holding what every report of that
 * event-loop turn changed (a group commit: one small INSERT for a whole batch of reports, where
 * the flusher would rewrite one row per job). The flusher later writes the jobs and drops the rows
 * its flush covered; after a crash `replayJournal` writes back what no flush had written yet.
 * So a crash after an answer never loses the progress it answered, as for transitions.
 */
export class ProgressJournal {
  private queued: LiveJob[] = [];
  private waiters: Waiter[] = [];
  /** The loop writing rows while reports wait for one; null when none waits. */
  private writing: Promise<void> | null = null;
  private writtenThroughId = 0;

  constructor(
    private readonly store: Store,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /** Marks progress fields of a cached job (bits of the store's patch shape) as to be journaled. */
  note(entry: LiveJob, fields: number): void {
    entry.unjournaled |= fields;
    if (entry.journalQueued) return;
    entry.journalQueued = true;
    this.queued.push(entry);
  }

  /** Resolves once everything noted so far is in the journal; rejects (NOT_READY) if it could not be written. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.writing ??= this.writeAll(); // a running loop takes the new waiters too
    });
  }

  /** Resolves once no report waits for a row (a stop writes the last rows before it drops them). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** The newest row written: once a flush that began after it has written the jobs, rows up to it can go. */
  get writtenThrough(): number {
    return this.writtenThroughId;
  }

  async dropThrough(throughId: number): Promise<void> {
    if (throughId > 0) await this.store.jobs.dropJournal(this.nodeId, throughId);
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        // Let every report of this turn of the event loop join the same row.
        await new Promise((resolve) => setImmediate(resolve));
        await this.writeOne();
      }
    } finally {
      // Cleared as the loop ends, not a microtask later: a report that waits from then on starts a new loop.
      this.writing = null;
    }
  }

  private async writeOne(): Promise<void> {
    const waiters = this.waiters;
    const entries = this.queued;
    this.waiters = [];
    this.queued = [];
    const journaled: JournalEntry[] = [];
    for (const entry of entries) {
      entry.journalQueued = false;
      if (entry.unjournaled !== 0) journaled.push({ record: entry.record, fields: entry.unjournaled });
      entry.unjournaled = 0;
    }
    try {
      if (journaled.length > 0) this.writtenThroughId = await this.store.jobs.journalProgress(this.nodeId, journaled);
    } catch (error) {
      // Not answered, so not lost: the worker retries, and the flusher still writes the cache.
      this.logger.error({ err: error, jobs: journaled.length }, 'progress:journal write failed; the reports waiting for it are refused');
      for (const waiter of waiters) waiter.reject(new HeadwayError('NOT_READY', 'progress could not be stored just now; retry the report'));
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}

/**
 * Writes back journaled progress no flush wrote before the process stopped (all nodes' rows: a
 * node that died leaves its rows to whichever starts next). Answers how many patches were written.
 */
export async function replayJournal(store: Store, logger: Logger): Promise<number> {
  const written = await writeBack(store, await store.jobs.leftJournal());
  if (written > 0) logger.info({ patches: written }, 'progress:journal replayed: answered progress that was not yet written to its jobs');
  return written;
}

/**
 * Writes back the rows of nodes that died and were not restarted (see Store.abandonedJournal),
 * every `adoptAfterMs / 2`: with several nodes, the others keep running, and a start may be far
 * off. A live node's rows are never that old: it drops them at every flush.
 */
export class JournalAdopter {
  private timer: NodeJS.Timeout | null = null;
  private adopting: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly nodeId: string,
    private readonly adoptAfterMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.adopt(), Math.max(500, this.adoptAfterMs / 2));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.adopting;
  }

  /** One pass; a pass still running (a slow database) is not doubled. */
  adopt(): Promise<void> {
    this.adopting ??= this.adoptOnce().finally(() => (this.adopting = null));
    return this.adopting;
  }

  private async adoptOnce(): Promise<void> {
    try {
      const written = await writeBack(this.store, await this.store.jobs.abandonedJournal(this.nodeId, this.adoptAfterMs));
      if (written > 0) this.logger.warn({ patches: written }, 'progress:journal adopted: answered progress of a node that stopped without writing it');
    } catch (error) {
      this.logger.error({ err: error }, 'progress:journal adoption failed; will retry');
    }
  }
}

/**
 * Writes a journal's patches back, then deletes its rows. The store's own guards make this safe
 * on a row a live node has meanwhile flushed past: a patch is written only while its job still
 * has its seq, and leaves the job as it is where the job holds a newer report (see saveProgress).
 * Answers how many patches met a job still at their seq.
 */
async function writeBack(store: Store, left: LeftJournal): Promise<number> {
  let written = 0;
  for (const row of left.rows) {
    const { stale } = await store.jobs.saveProgress(row.patches);
    written += row.patches.length - stale.length;
  }
  await left.clear();
  return written;
}
