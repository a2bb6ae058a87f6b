import type { Logger } from 'pino';
import type { NewDigestItem, NewNotification } from '../store/notification-store.js';
import type { Store } from '../store/store.js';
import { retryDelayMs } from './backoff.js';
import { planFor, type PlanContext } from './plan.js';
import type { Trigger } from './types.js';

/** Triggers written per transaction: a burst is cut into slices (~50 ms of work each here), with the event loop free between them. */
const SLICE = 100;
/** Retries of a failed outbox write back off from the enqueue interval up to this (a locked or unreachable database). */
const RETRY_MAX_MS = 5_000;
/** Job events read per page when catching up from the saved cursor. */
const CATCH_UP_PAGE = 500;

export interface EnqueuerDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  newId: () => string;
  intervalMs: number;
  /**
   * Triggers held in memory at most. Beyond it (the outbox keeps refusing writes while events
   * arrive) the job events' triggers are dropped and read again from the saved cursor later.
   */
  maxPending: number;
  /** The triggers of the job events after `afterCursor`, oldest first, each with its event's cursor (trigger null: notifies nobody). */
  readSince: (afterCursor: number, limit: number) => Promise<Array<{ trigger: Trigger | null; cursor: number }>>;
  context: Omit<PlanContext, 'now' | 'newId'>;
  /** Called after rows were written, so the dispatcher looks at once. */
  onEnqueued: () => void;
}

interface Pending {
  trigger: Trigger | null;
  /** Store-wide cursor of the job event behind the trigger (none for alerts). */
  cursor?: number;
}

/**
 * Turns triggers into outbox rows off the hot path: `add` only appends to an array (called from
 * the bus listener, synchronously, while progress is being ingested); a timer writes what has
 * gathered in slices of one transaction each, with the event cursor they cover.
 *
 * Job events are durable and the saved cursor never passes one that is not in the outbox, so
 * the in-memory copy is only a shortcut: when it outgrows maxPending it is dropped, and the
 * enqueuer "catches up" (reads the events after the saved cursor, page by page) once writes work.
 */
export class Enqueuer {
  private pending: Pending[] = [];
  private maxCursor: number | undefined;
  /** Bumped by every add() with a cursor: tells whether maxCursor moved while a slice was being written. */
  private cursorVersion = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Outbox writes that failed in a row: the next timer waits longer. */
  private failures = 0;
  /** Job events' triggers are not kept but read back from the saved cursor (after an overflow, and at start). */
  private catchingUp = false;
  /** An event was dropped while a catch-up read ran: the read may predate it, so read once more. */
  private droppedDuringRead = false;
  /** Bumped when pending is dropped: a write in flight must not splice the new list. */
  private generation = 0;

  constructor(private readonly deps: EnqueuerDeps) {}

  /** Triggers held in memory now (at most maxPending, plus the alerts raised meanwhile). */
  get pendingCount(): number {
    return this.pending.length;
  }

  add(trigger: Trigger | null, cursor?: number): void {
    if (cursor !== undefined && this.catchingUp) {
      // Read back from the store by the catch-up.
      this.droppedDuringRead = true;
      this.schedule();
      return;
    }
    if (cursor !== undefined) {
      this.maxCursor = Math.max(this.maxCursor ?? 0, cursor);
      this.cursorVersion++;
    }
    if (trigger) this.pending.push({ trigger, ...(cursor !== undefined ? { cursor } : {}) });
    if (this.pending.length > this.deps.maxPending) this.dropJobEvents();
    if (this.pending.length > 0 || cursor !== undefined) this.schedule();
  }

  /** Writes every job event after the saved cursor (a restart's missed events), then what is pending. */
  async catchUp(): Promise<void> {
    this.startCatchUp();
    await this.flush();
  }

  /**
   * Keeps only the alerts (they have no durable event to be read from): the job events' triggers
   * come back from the store, from the saved cursor, which none of them has passed.
   */
  private dropJobEvents(): void {
    const dropped = this.pending.filter((p) => p.cursor !== undefined).length;
    this.startCatchUp();
    if (dropped > 0) this.deps.logger.warn({ dropped, maxPending: this.deps.maxPending, failures: this.failures }, 'notify:too many triggers waiting for the outbox; dropped from memory, they are read again from the job events once writes succeed');
  }

  private startCatchUp(): void {
    this.catchingUp = true;
    this.generation++;
    this.pending = this.pending.filter((p) => p.cursor === undefined);
    this.maxCursor = undefined;
  }

  /** Writes everything added so far; resolves when it is stored, rejects (keeping it all pending) when the store failed. */
  async flush(): Promise<void> {
    // Another caller's failed write is theirs to report: this one tries again.
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.length === 0 && this.maxCursor === undefined && !this.catchingUp) return;
    this.flushing = this.writeAll().finally(() => (this.flushing = null));
    try {
      await this.flushing;
      this.failures = 0;
    } catch (error) {
      this.failures++;
      // One writer per node: no jitter (0.5 is the midpoint), just a growing pause.
      this.schedule(retryDelayMs(this.failures, { baseMs: this.deps.intervalMs, maxMs: RETRY_MAX_MS }, 0.5));
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.cancelTimer();
    try {
      await this.flush();
    } finally {
      // No retry after stop: what is still pending is replayed from the saved cursor on the next start.
      this.cancelTimer();
    }
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs = this.deps.intervalMs): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // flush() has scheduled the retry when it failed.
      this.flush().catch((err: unknown) =>
        this.deps.logger.error({ err, pending: this.pending.length, failures: this.failures }, 'notify:enqueue failed; the triggers stay pending and are written again in order, with backoff (the saved cursor stays before them)'),
      );
    }, delayMs);
    this.timer.unref?.();
  }

  /**
   * A slice leaves `pending` only once its transaction committed, and the cursor is saved only
   * with the slice that holds every trigger added up to it: a failed write loses nothing and
   * never moves the cursor past an event that is not in the outbox (a restart replays from it).
   */
  private async writeAll(): Promise<void> {
    while (this.pending.length > 0 || this.maxCursor !== undefined || this.catchingUp) {
      if (this.pending.length === 0 && this.maxCursor === undefined) {
        await this.readBack();
        continue;
      }
      const slice = this.pending.slice(0, SLICE);
      const cursor = slice.length === this.pending.length ? this.maxCursor : undefined;
      const version = this.cursorVersion;
      const generation = this.generation;
      const written = await this.write(slice, cursor);
      // add() may have appended (never removed) meanwhile: the written slice is still the head,
      // unless pending was dropped (its alerts are then written again: their keys absorb it).
      if (this.generation === generation) this.pending.splice(0, slice.length);
      if (cursor !== undefined && this.cursorVersion === version) this.maxCursor = undefined;
      if (written > 0) this.deps.onEnqueued();
      if (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * One page of job events after the saved cursor, written in slices that each move the cursor
   * to their last event. An empty page ends the catch-up, unless an event was dropped while it
   * was read: that event was committed before its bus message came, so the next read sees it.
   */
  private async readBack(): Promise<void> {
    const from = (await this.deps.store.notifications.savedCursor()) ?? (await this.deps.store.jobs.latestCursor());
    this.droppedDuringRead = false;
    const page = await this.deps.readSince(from, CATCH_UP_PAGE);
    if (page.length === 0) {
      if (!this.droppedDuringRead) this.catchingUp = false;
      return;
    }
    for (let i = 0; i < page.length; i += SLICE) {
      const slice = page.slice(i, i + SLICE);
      if ((await this.write(slice, slice.at(-1)!.cursor)) > 0) this.deps.onEnqueued();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async write(all: Pending[], cursor: number | undefined): Promise<number> {
    const { store, now, newId, context } = this.deps;
    const slice = all.filter((p): p is Pending & { trigger: Trigger } => p.trigger !== null);
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
