import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { yieldToOtherWork } from './yield-to-other-work.js';

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;
/**
 * Top-level jobs deleted per transaction. A node that was down for weeks, or a shorter retention,
 * has a backlog: deleted in one go, 150,000 jobs held SQLite's writer (and the event loop) 2.7 s;
 * in chunks of 500 the event loop was held at most 29 ms, for 3.3 s in all. A job's events and
 * tags go with it, so a chunk of real jobs (tens of events each) takes longer: 200 keeps it short.
 */
const PURGE_CHUNK = 200;
/**
 * Notifications (each with its attempts) deleted per transaction. 100,000 expired ones went in
 * 2.6 s on SQLite and 2.2 s on PostgreSQL; a SQLite chunk held the event loop 3.5 ms (median),
 * at most 28 ms (17 ms of CPU). Chunks of 500 were no faster in all.
 */
const NOTIFICATION_PURGE_CHUNK = 200;

/** Deletes finished jobs and notifications older than the retention window (30 days by default), hourly, in chunks that let other work in between. */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly retentionDays: number,
  ) {}

  start(): void {
    this.stopped = false;
    const sweep = () =>
      this.sweep()
        .then((purged) => purged > 0 && this.logger.info({ purged }, 'retention:purged finished jobs'))
        .catch((err: unknown) => this.logger.error({ err }, 'retention:sweep failed; will retry next hour'));
    void sweep();
    this.timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Deletes chunk after chunk until none is left (or the node stops): jobs (their notifications
   * that are no longer pending go with them), then the text-search index's holes, step by step,
   * then notifications and digests that finished before the window. Answers how many jobs went.
   */
  async sweep(): Promise<number> {
    const before = this.now() - this.retentionDays * DAY_MS;
    const jobs = await this.inChunks((limit) => this.store.jobs.purgeFinished(before, limit), PURGE_CHUNK);
    if (jobs > 0) {
      while (!this.stopped && (await this.store.jobs.tidyTextIndex())) await yieldToOtherWork();
    }
    const notifications = await this.inChunks((limit) => this.store.notifications.purgeExpired(before, limit), NOTIFICATION_PURGE_CHUNK);
    if (notifications > 0) this.logger.info({ purged: notifications }, 'retention:purged notifications and digests');
    return jobs;
  }

  private async inChunks(purge: (limit: number) => Promise<number>, limit: number): Promise<number> {
    let purged = 0;
    while (!this.stopped) {
      const deleted = await purge(limit);
      purged += deleted;
      if (deleted === 0 || this.stopped) break;
      await yieldToOtherWork();
    }
    return purged;
  }
}
