import type { HeadwayClient, InAppNotification } from '@headway/client';
import { FrameBatcher, nextFrame, type FrameScheduler } from './frame-batcher.js';
import { SharedWatch } from './shared-watch.js';

/** What the notification hooks render: the in-app feed (newest first) and the unread count. */
export interface NotificationFeedSnapshot {
  items: readonly InAppNotification[];
  /** null until the first count arrived. */
  unread: number | null;
  /** More (older) notifications can be loaded with `loadMore()`. */
  hasMore: boolean;
  loading: boolean;
  /** The last failure (a refused channel, a failed request); cleared by the next success. */
  error: Error | null;
}

const PAGE_SIZE = 30;
const INITIAL: NotificationFeedSnapshot = { items: [], unread: null, hasMore: false, loading: true, error: null };

/**
 * An external store over one user's in-app notifications: the feed and count read over REST
 * whenever the live channel (re)syncs, live pushes merged in between, read marks applied at
 * once and confirmed by the server's count. Publishes at most once per frame.
 */
export class NotificationFeedStore {
  private published = INITIAL;
  private latest = INITIAL;
  private cursor: string | null = null;
  private readonly batcher: FrameBatcher;
  private readonly watch: SharedWatch;
  readonly subscribe: SharedWatch['subscribe'];
  /** Bumped by every reload, so an older answer that arrives late is dropped. */
  private reloads = 0;
  /** Pushes received so far: one during a reload may or may not be in its count. */
  private pushes = 0;
  /** Local read marks made so far: a count asked before one is out of date when it lands. */
  private marks = 0;
  /** Read marks sent and not answered yet: a count read meanwhile may or may not include them. */
  private marksInFlight = 0;
  private counting = false;
  private countAgain = false;

  constructor(private readonly client: HeadwayClient, readonly userId: string, schedule: FrameScheduler = nextFrame, onIdle?: () => void) {
    this.batcher = new FrameBatcher(() => this.publish(), schedule);
    this.watch = new SharedWatch(
      () =>
        client.watchNotifications(userId, (n) => this.pushed(n), {
          onSync: () => void this.reload(),
          onError: (error) => this.set({ error, loading: false }),
        }),
      onIdle,
    );
    this.subscribe = this.watch.subscribe;
  }

  readonly getSnapshot = (): NotificationFeedSnapshot => this.published;

  /** Re-reads the first page and the count (done by itself after every (re)connect). */
  async reload(): Promise<void> {
    const reload = ++this.reloads;
    const [pushesBefore, marksBefore] = [this.pushes, this.marks];
    try {
      const [page, unread] = await Promise.all([this.api.list({ ...this.who(), channel: 'in_app', limit: PAGE_SIZE }), this.api.unreadCount(this.who())]);
      if (reload !== this.reloads) return;
      const fetched = new Set(page.items.map((n) => n.id));
      const newer = this.latest.items.filter((n) => !fetched.has(n.id) && n.createdAt >= (page.items[0]?.createdAt ?? 0));
      const local = new Map(this.latest.items.map((n) => [n.id, n]));
      this.cursor = page.nextCursor;
      const items = [...newer, ...page.items.map((n) => newerCopy(n, local.get(n.id)))];
      // A push or a read mark that raced the count may or may not be in it: ask again rather than guess.
      const marked = this.marks !== marksBefore;
      this.set({ items, ...(marked ? {} : { unread }), hasMore: page.nextCursor !== null, loading: false, error: null });
      if (marked || this.pushes !== pushesBefore) this.recount();
    } catch (error) {
      if (reload === this.reloads) this.set({ error: error as Error, loading: false });
    }
  }

  async loadMore(): Promise<void> {
    if (!this.cursor) return;
    try {
      const page = await this.api.list({ ...this.who(), channel: 'in_app', limit: PAGE_SIZE, cursor: this.cursor });
      const known = new Set(this.latest.items.map((n) => n.id));
      this.cursor = page.nextCursor;
      this.set({ items: [...this.latest.items, ...page.items.filter((n) => !known.has(n.id))], hasMore: page.nextCursor !== null, error: null });
    } catch (error) {
      this.set({ error: error as Error });
    }
  }

  markRead(id: string): Promise<void> {
    const target = this.latest.items.find((n) => n.id === id);
    if (!target || target.readAt !== null) return Promise.resolve();
    const now = Date.now();
    this.marks++;
    this.set({ items: this.latest.items.map((n) => (n.id === id ? { ...n, readAt: now } : n)), unread: Math.max(0, (this.latest.unread ?? 1) - 1) });
    return this.confirm(this.api.markRead([id], this.who()));
  }

  markAllRead(): Promise<void> {
    const now = Date.now();
    this.marks++;
    this.set({ items: this.latest.items.map((n) => (n.readAt === null ? { ...n, readAt: now } : n)), unread: 0 });
    return this.confirm(this.api.markAllRead(this.who()));
  }

  /**
   * Records that these notifications were shown (the panel was open with them in it). Seen is
   * not read: the unread count stays, and only ids not seen yet are sent.
   */
  markSeen(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids);
    const unseen = this.latest.items.filter((n) => wanted.has(n.id) && n.seenAt === null).map((n) => n.id);
    if (unseen.length === 0) return Promise.resolve();
    const now = Date.now();
    const marked = new Set(unseen);
    this.set({ items: this.latest.items.map((n) => (marked.has(n.id) ? { ...n, seenAt: now } : n)) });
    return this.api.markSeen(unseen, this.who()).then(
      () => undefined,
      (error: unknown) => this.set({ error: error as Error }),
    );
  }

  private get api() {
    return this.client.notifications;
  }

  /** A user token speaks for itself; the admin key must name the user. */
  private who(): { user: string } {
    return { user: this.userId };
  }

  private async confirm(answer: Promise<{ unread: number }>): Promise<void> {
    this.marksInFlight++;
    try {
      const { unread } = await answer;
      this.marksInFlight--;
      this.set({ unread, error: null });
      if (this.countAgain && !this.counting && this.marksInFlight === 0) this.recount();
    } catch (error) {
      this.marksInFlight--;
      this.set({ error: error as Error });
      await this.reload();
    }
  }

  private pushed(notification: InAppNotification): void {
    if (notification.channel !== 'in_app') return;
    this.pushes++;
    const previous = this.latest.items.find((n) => n.id === notification.id);
    const fresh = newerCopy(notification, previous);
    let items: InAppNotification[];
    if (previous) items = this.latest.items.map((n) => (n.id === notification.id ? fresh : n));
    else {
      // Deliveries can finish out of order (job.completed before job.started): keep the list's order.
      const at = this.latest.items.findIndex((n) => listedBefore(fresh, n));
      items = at === -1 ? [...this.latest.items, fresh] : [...this.latest.items.slice(0, at), fresh, ...this.latest.items.slice(at)];
    }
    // The push can overtake the server's own 'sent' record: a listed row still 'sending' was not in the count yet.
    const delta = (countsAsUnread(fresh) ? 1 : 0) - (previous && countsAsUnread(previous) ? 1 : 0);
    const unread = this.latest.unread === null ? null : Math.max(0, this.latest.unread + delta);
    this.set({ items, unread });
    // The delta is a guess: the list and the count were read apart (two requests, maybe two
    // transactions), so a row can be counted in one and not the other. A count asked after
    // the push includes it (a row is pushed once stored as sent), so the server settles it.
    this.recount();
  }

  /** Asks the server's unread count; one request at a time, once more if asked meanwhile. */
  private recount(): void {
    if (this.counting) {
      this.countAgain = true;
      return;
    }
    this.counting = true;
    this.countAgain = false;
    const marks = this.marks;
    const pushes = this.pushes;
    const settled = this.marksInFlight === 0;
    this.api.unreadCount(this.who()).then(
      (unread) => {
        // A read mark or a push that came meanwhile may not be in this answer (it would take the
        // count back, 2 → 1 → 2): keep the local count and ask again once marks settle.
        if (settled && marks === this.marks && pushes === this.pushes) this.set({ unread });
        else this.countAgain = true;
      },
      (error: unknown) => this.set({ error: error as Error }),
    ).finally(() => {
      this.counting = false;
      if (this.countAgain && this.watch.running && this.marksInFlight === 0) this.recount();
    });
  }

  private set(change: Partial<NotificationFeedSnapshot>): void {
    this.latest = { ...this.latest, ...change };
    this.batcher.request();
  }

  private publish(): void {
    if (this.published === this.latest) return;
    this.published = this.latest;
    this.watch.notify();
  }
}

/** How far along its delivery a notification is, for two copies stamped in the same millisecond. */
const STAGE: Record<InAppNotification['status'], number> = { queued: 0, deferred: 0, sending: 1, failed: 2, sent: 3, dead: 3, skipped: 3 };

/**
 * The newer of two copies of one notification (a list answer read before a push landed must
 * not take a 'sent' row back to 'sending'), with the seen and read marks of both: marks only
 * ever get set, so one shown already (set here, or by another tab) is kept.
 */
function newerCopy(incoming: InAppNotification, known: InAppNotification | undefined): InAppNotification {
  if (!known) return incoming;
  const knownIsNewer = known.updatedAt > incoming.updatedAt || (known.updatedAt === incoming.updatedAt && STAGE[known.status] > STAGE[incoming.status]);
  const [base, other] = knownIsNewer ? [known, incoming] : [incoming, known];
  if ((base.seenAt !== null || other.seenAt === null) && (base.readAt !== null || other.readAt === null)) return base;
  return { ...base, seenAt: base.seenAt ?? other.seenAt, readAt: base.readAt ?? other.readAt };
}

/** Newest first, as the server lists them (created_at DESC, id DESC). */
function listedBefore(a: InAppNotification, b: InAppNotification): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

/** What the server's unread count counts: delivered in-app notifications not read yet. */
function countsAsUnread(notification: InAppNotification): boolean {
  return notification.status === 'sent' && notification.readAt === null;
}

const stores = new WeakMap<HeadwayClient, Map<string, NotificationFeedStore>>();

/** One feed per client and user, shared by the bell, the panel and anything else that shows it. */
export function notificationStoreFor(client: HeadwayClient, userId: string): NotificationFeedStore {
  let byUser = stores.get(client);
  if (!byUser) stores.set(client, (byUser = new Map()));
  let store = byUser.get(userId);
  if (!store) {
    const owner = byUser;
    store = new NotificationFeedStore(client, userId, nextFrame, () => owner.delete(userId));
    byUser.set(userId, store);
  }
  return store;
}
