import { Delivery } from './delivery.js';
import type { DispatcherDeps } from './dispatcher-deps.js';
import type { Preferences } from './preferences/schema.js';
import { SendPool, type ClaimedRow } from './send-pool.js';
import { CHANNEL_NAMES } from './types.js';

export type { DispatcherDeps };

/** Preferences read with a claim this recently are used as read; a row that waited longer reads them again. */
const PREFERENCES_FRESH_MS = 1_000;
/** A claimed row whose channel has no free slot nor waiting place goes back to the outbox, due this much later. */
const CHANNEL_BUSY_RETRY_MS = 1_000;

/**
 * Sends what is due in the outbox: closes ended digests, claims due rows with a lease, and hands
 * them to the send pool without waiting for the sends, so a slow endpoint holds only its own
 * channel's slots. Runs on a timer, whenever the enqueuer wrote something and whenever a send
 * ends; one round at a time. Failures of a round are logged, never thrown into the timer.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly pool: SendPool;

  constructor(private readonly deps: DispatcherDeps) {
    const delivery = new Delivery(deps);
    const send = async ({ row, prefs, claimedAt }: ClaimedRow) => {
      try {
        await delivery.deliver(row, await this.currentPreferences(row.userId, prefs, claimedAt));
      } catch (err) {
        deps.logger.error({ err, notificationId: row.id }, 'notify:delivery failed before its outcome was recorded; the lease expiry re-sends it');
      }
    };
    this.pool = new SendPool(deps.settings, CHANNEL_NAMES, send, () => this.wake());
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

  /** Waits for the round and the sends in progress; claimed rows not started go back to the outbox. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.release(this.pool.takeAllWaiting(), this.deps.now());
    await this.pool.idle();
  }

  private async round(): Promise<void> {
    const { store, now, settings, nodeId, newId } = this.deps;
    const n = store.notifications;
    await n.requeueLeased({ leaseExpiredBefore: now() }, now());
    await n.flushDigests(now(), newId);
    // A row waits for a slot at most a quarter of its lease, so it is sent well before another node may take it.
    await this.release(this.pool.takeStale(now() - settings.leaseMs / 4), now());
    const limit = Math.min(settings.batchSize, this.pool.capacity());
    if (limit === 0) return;
    const claimedAt = now();
    const claimed = await n.claimDue(nodeId, claimedAt, claimedAt + settings.leaseMs, limit);
    if (claimed.length === 0) return;
    const prefs = await n.getPreferences([...new Set(claimed.map((r) => r.userId))]);
    const overflow = claimed.map((row) => ({ row, prefs: prefs.get(row.userId), claimedAt })).filter((c) => !this.pool.offer(c));
    await this.release(overflow, now() + CHANNEL_BUSY_RETRY_MS);
    // A full claim that all found room means more may be due: go again without waiting for the timer.
    if (claimed.length === limit && overflow.length === 0) this.again = true;
  }

  /**
   * The user's preferences as read with the claim, or read again when the row waited for a slot
   * of its channel (up to a quarter of the lease): a mute or a channel turned off meanwhile holds.
   */
  private async currentPreferences(userId: string, claimed: Preferences | undefined, claimedAt: number): Promise<Preferences | undefined> {
    if (this.deps.now() - claimedAt < PREFERENCES_FRESH_MS) return claimed;
    return (await this.deps.store.notifications.getPreferences([userId])).get(userId);
  }

  /** Gives claimed rows back (not an attempt): due at `dueAt`, behind what is due now. */
  private async release(rows: ClaimedRow[], dueAt: number): Promise<void> {
    const { store, now, nodeId } = this.deps;
    for (const { row } of rows) await store.notifications.defer(row.id, nodeId, dueAt, now());
  }
}
