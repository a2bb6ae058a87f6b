import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;

/** Deletes finished jobs older than the retention window (30 days by default), hourly. */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly retentionDays: number,
  ) {}

  start(): void {
    const sweep = () =>
      this.store.jobs
        .purgeFinished(this.now() - this.retentionDays * DAY_MS)
        .then((purged) => purged > 0 && this.logger.info({ purged }, 'retention:purged finished jobs'))
        .catch((err: unknown) => this.logger.error({ err }, 'retention:sweep failed; will retry next hour'));
    void sweep();
    this.timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
