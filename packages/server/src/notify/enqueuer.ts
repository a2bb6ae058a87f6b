import type { Logger } from 'pino';
import type { NewDigestItem, NewNotification } from '../store/notification-store.js';
import type { Store } from '../store/store.js';
import { planFor, type PlanContext } from './plan.js';
import type { Trigger } from './types.js';

/** Triggers written per transaction: a burst is cut into slices (~50 ms of work each here), with the event loop free between them. */
const SLICE = 100;

export interface EnqueuerDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  newId: () => string;
  intervalMs: number;
  context: Omit<PlanContext, 'now' | 'newId'>;
  /** Called after rows were written, so the dispatcher looks at once. */
  onEnqueued: () => void;
}

interface Pending {
  trigger: Trigger;
  /** Store-wide cursor of the job event behind the trigger (none for alerts). */
  cursor?: number;
}

/**
 * Turns triggers into outbox rows off the hot path: `add` only appends to an array (called from
 * the bus listener, synchronously, while progress is being ingested); a timer writes what has
 * gathered in slices of one transaction each, with the event cursor they cover.
 */
export class Enqueuer {
  private pending: Pending[] = [];
  private maxCursor: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly deps: EnqueuerDeps) {}

  add(trigger: Trigger | null, cursor?: number): void {
    if (cursor !== undefined) this.maxCursor = Math.max(this.maxCursor ?? 0, cursor);
    if (trigger) this.pending.push({ trigger, ...(cursor !== undefined ? { cursor } : {}) });
    if (this.pending.length > 0 || cursor !== undefined) this.schedule();
  }

  /** Writes everything added so far; resolves when it is stored. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0 && this.maxCursor === undefined) return;
    this.flushing = this.writeAll().finally(() => (this.flushing = null));
    await this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err: unknown) => this.deps.logger.error({ err }, 'notify:enqueue failed; the events are replayed from the store on the next start'));
    }, this.deps.intervalMs);
    this.timer.unref?.();
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0 || this.maxCursor !== undefined) {
      const slice = this.pending.splice(0, SLICE);
      // The cursor moves only with the last slice: every event up to it is then written.
      const cursor = this.pending.length === 0 ? this.maxCursor : undefined;
      if (this.pending.length === 0) this.maxCursor = undefined;
      const written = await this.write(slice, cursor);
      if (written > 0) this.deps.onEnqueued();
      if (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async write(slice: Pending[], cursor: number | undefined): Promise<number> {
    const { store, now, newId, context } = this.deps;
    const recipients = await Promise.all(slice.map(({ trigger }) => this.recipientsOf(trigger)));
    const prefs = await store.notifications.getPreferences([...new Set(recipients.flat())]);
    const ctx: PlanContext = { ...context, now: now(), newId };
    const notifications: NewNotification[] = [];
    const digestItems: NewDigestItem[] = [];
    slice.forEach(({ trigger }, i) => {
      for (const userId of recipients[i]!) {
        const plan = planFor(trigger, userId, prefs.get(userId), ctx);
        notifications.push(...plan.notifications);
        digestItems.push(...plan.digestItems);
      }
    });
    const result = await store.notifications.enqueue({ notifications, digestItems, ...(cursor !== undefined ? { cursor } : {}) }, ctx.now);
    return result.notifications + result.digestItems;
  }

  /** The job's owner, explicit recipients (alerts), and whoever watches the job, its batch or its type. */
  private async recipientsOf(trigger: Trigger): Promise<string[]> {
    const jobIds = [trigger.jobId, trigger.parentId].filter((id): id is string => id !== null);
    const watchers = await this.deps.store.notifications.watchers(jobIds, trigger.jobType);
    const all = [trigger.owner, ...(trigger.recipients ?? []), ...watchers].filter((u): u is string => typeof u === 'string' && u !== '');
    return [...new Set(all)];
  }
}
