import type { NotificationRecord } from '../store/notification-store.js';
import { Delivery } from './delivery.js';
import type { DispatcherDeps } from './dispatcher-deps.js';

export type { DispatcherDeps };

/**
 * Sends what is due in the outbox: closes ended digests, claims due rows with a lease, and
 * delivers them a few at a time. Runs on a timer and whenever the enqueuer wrote something;
 * one round at a time. Failures of a round are logged, never thrown into the timer.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly delivery: Delivery;

  constructor(private readonly deps: DispatcherDeps) {
    this.delivery = new Delivery(deps);
  }

  async start(): Promise<void> {
    this.stopped = false;
    const requeued = await this.deps.store.notifications.requeueLeased({ leaseOwner: this.deps.nodeId }, this.deps.now());
    if (requeued > 0) this.deps.logger.info({ requeued }, 'notify:recovered notifications this node was sending when it stopped');
    this.wake();
  }

  /** Run a round soon (now, or right after the current one). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.round()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'notify:dispatch round failed; retrying on the next round'))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          setImmediate(() => this.wake());
        } else {
          this.timer = setTimeout(() => this.wake(), this.deps.settings.dispatchIntervalMs);
          this.timer.unref?.();
        }
      });
  }

  /** Waits for the round in progress; claimed rows it did not finish are re-sent after a restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async round(): Promise<void> {
    const { store, now, settings, nodeId, newId } = this.deps;
    const n = store.notifications;
    await n.requeueLeased({ leaseExpiredBefore: now() }, now());
    await n.flushDigests(now(), newId);
    const claimed = await n.claimDue(nodeId, now(), now() + settings.leaseMs, settings.batchSize);
    if (claimed.length === 0) return;
    const prefs = await n.getPreferences([...new Set(claimed.map((r) => r.userId))]);
    await forEachLimited(claimed, settings.concurrency, (row) => this.delivery.deliver(row, prefs.get(row.userId)));
    // A full batch means more may be due: go again without waiting for the timer.
    if (claimed.length === settings.batchSize) this.again = true;
  }
}

async function forEachLimited(rows: NotificationRecord[], limit: number, work: (row: NotificationRecord) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, rows.length) }, async () => {
    while (next < rows.length) await work(rows[next++]!);
  });
  await Promise.all(lanes);
}
