import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

/** How often jobs finished since the last pass are added to the text-search index. */
const INDEX_EVERY_MS = 2_000;
/** Jobs indexed per transaction: 8 µs a job at 500 on SQLite, against 100 µs one at a time. */
const INDEX_BATCH = 500;

/**
 * Adds finished jobs to the store's text-search index in batches, off the transitions that finish
 * them (see migration 0007). Searches find a job not indexed yet by reading it, so the delay costs
 * speed, never results. A store that indexes as jobs finish has nothing waiting.
 */
export class FinishedTextIndexer {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      this.pass ??= this.indexWaiting()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.error({ err }, 'search-index:indexing finished jobs failed; will retry'))
        .finally(() => (this.pass = null));
    }, INDEX_EVERY_MS);
    this.timer.unref();
  }

  /** Stops after the batch under way, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pass;
  }

  /** Indexes batch after batch until none is waiting (or the node stops); answers how many jobs. */
  async indexWaiting(): Promise<number> {
    let indexed = 0;
    while (!this.stopped) {
      const batch = await this.store.jobs.indexFinishedTexts(INDEX_BATCH);
      indexed += batch;
      if (batch < INDEX_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve)); // reports and live updates go first
    }
    return indexed;
  }
}
