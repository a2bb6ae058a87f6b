import type { HeadwayClient } from '@headway/client';

/** One user's muted jobs as a mute control shows them. */
export interface MutedJobsSnapshot {
  /** null until the preferences have been read. */
  muted: ReadonlySet<string> | null;
  /** Jobs whose mute or unmute is on its way to the server. */
  saving: ReadonlySet<string>;
  /** Why the last change of a job failed (cleared by its next success). */
  failures: ReadonlyMap<string, Error>;
  /** Why the preferences could not be read. */
  loadError: Error | null;
}

const INITIAL: MutedJobsSnapshot = { muted: null, saving: new Set(), failures: new Map(), loadError: null };

/**
 * An external store over the `mutedJobs` of one user's preferences, shared by every mute control
 * on screen (the panel and the job page agree). It re-reads the preferences whenever it gains its
 * first listener again, so a change saved on the preferences page is seen by the next control.
 */
export class MutedJobsStore {
  private snapshot = INITIAL;
  private readonly listeners = new Set<() => void>();
  /** Bumped by every read, so an older answer that arrives late is dropped. */
  private reads = 0;
  /** Several saves were in flight together: their answers may land in any order. */
  private overlapped = false;

  constructor(private readonly client: HeadwayClient, readonly userId: string, private readonly onIdle?: () => void) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) void this.reload();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.onIdle?.();
    };
  };

  readonly getSnapshot = (): MutedJobsSnapshot => this.snapshot;

  async reload(): Promise<void> {
    const read = ++this.reads;
    try {
      const preferences = await this.client.notifications.preferences(this.userId);
      if (read === this.reads) this.set({ muted: new Set(preferences.mutedJobs), loadError: null });
    } catch (error) {
      if (read === this.reads) this.set({ loadError: error as Error });
    }
  }

  /**
   * Shows the change at once; the server's answer (the whole stored list) then replaces it. When
   * several saves overlap, each answer holds the list as of its own change and they may land in
   * any order: each then sets only its job, and the list is read again once the last is back.
   */
  async setMuted(jobId: string, muted: boolean): Promise<void> {
    if (this.snapshot.saving.has(jobId)) return;
    this.reads++; // a read still in flight predates this change
    if (this.snapshot.saving.size > 0) this.overlapped = true;
    this.set({ muted: toggled(this.snapshot.muted ?? new Set(), jobId, muted), saving: toggled(this.snapshot.saving, jobId, true), failures: without(this.snapshot.failures, jobId) });
    try {
      const stored = await this.client.notifications.setJobMuted(this.userId, jobId, muted);
      const saving = toggled(this.snapshot.saving, jobId, false);
      if (!this.overlapped) {
        this.set({ muted: new Set(stored.mutedJobs), saving });
        return;
      }
      this.set({ muted: toggled(this.snapshot.muted ?? new Set(), jobId, stored.mutedJobs.includes(jobId)), saving });
      if (saving.size === 0) {
        this.overlapped = false;
        await this.reload();
      }
    } catch (error) {
      const failures = new Map(this.snapshot.failures).set(jobId, error as Error);
      this.set({ muted: toggled(this.snapshot.muted ?? new Set(), jobId, !muted), saving: toggled(this.snapshot.saving, jobId, false), failures });
      if (this.snapshot.saving.size === 0) this.overlapped = false;
      await this.reload();
    }
  }

  private set(change: Partial<MutedJobsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}

function toggled(set: ReadonlySet<string>, id: string, present: boolean): ReadonlySet<string> {
  const next = new Set(set);
  if (present) next.add(id);
  else next.delete(id);
  return next;
}

function without(map: ReadonlyMap<string, Error>, id: string): ReadonlyMap<string, Error> {
  if (!map.has(id)) return map;
  const next = new Map(map);
  next.delete(id);
  return next;
}

const stores = new WeakMap<HeadwayClient, Map<string, MutedJobsStore>>();

/** One store per client and user. */
export function mutedJobsStoreFor(client: HeadwayClient, userId: string): MutedJobsStore {
  let byUser = stores.get(client);
  if (!byUser) stores.set(client, (byUser = new Map()));
  let store = byUser.get(userId);
  if (!store) {
    const owner = byUser;
    store = new MutedJobsStore(client, userId, () => owner.delete(userId));
    byUser.set(userId, store);
  }
  return store;
}
