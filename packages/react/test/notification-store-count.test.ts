import { describe, expect, it } from 'vitest';
import type { HeadwayClient, InAppNotification } from '@headway/client';
import { NotificationFeedStore } from '../src/index.js';

/**
 * Orderings a real server produces only now and then (the list and the count are two requests,
 * on PostgreSQL two transactions), played on purpose with a scripted client.
 */
class ScriptedServer {
  rows: InAppNotification[] = [];
  /** What the next count answers report; null answers the true count of `rows`. */
  countOverride: number | null = null;
  countsAsked = 0;
  push: (n: InAppNotification) => void = () => {};
  sync: () => void = () => {};
  /** While set, list answers (read when asked) wait for it. */
  listHeld: Promise<void> | null = null;
  /** While set, count answers (counted when asked) wait for it. */
  countHeld: Promise<void> | null = null;

  readonly client = {
    watchNotifications: (_user: string, onNotification: (n: InAppNotification) => void, options: { onSync?: () => void }) => {
      this.push = onNotification;
      this.sync = options.onSync ?? (() => {});
      return () => {};
    },
    notifications: {
      list: async () => {
        const items = this.rows.map((row) => ({ ...row }));
        if (this.listHeld) await this.listHeld;
        return { items, nextCursor: null };
      },
      unreadCount: async () => {
        this.countsAsked++;
        const unread = this.countOverride ?? this.rows.filter((n) => n.status === 'sent' && n.readAt === null).length;
        if (this.countHeld) await this.countHeld;
        return unread;
      },
      markRead: async (ids: string[]) => {
        for (const row of this.rows) if (ids.includes(row.id)) row.readAt = 1;
        return { unread: this.rows.filter((n) => n.status === 'sent' && n.readAt === null).length };
      },
    },
  } as unknown as HeadwayClient;
}

function notification(id: string, status: InAppNotification['status'], at = 1): InAppNotification {
  return {
    id, userId: 'ada', type: 'job.completed', channel: 'in_app', jobId: 'j1', status, urgent: false, attempts: 1, dueAt: at, createdAt: at, updatedAt: at,
    sentAt: status === 'sent' ? 1 : null, readAt: null, seenAt: null, lastError: null, escalatedFrom: null, title: null, text: null, data: null,
  };
}

/** A feed over a scripted server, publishing at once (no frames), already watching. */
function openFeed() {
  const server = new ScriptedServer();
  const store = new NotificationFeedStore(server.client, 'ada', (run) => run());
  return { server, store, stop: store.subscribe(() => {}) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the feed count against a list read apart from it', () => {
  it('a count asked before a push does not undo that push when it lands late (no 2 → 1 → 2 flicker)', async () => {
    const { server, store, stop } = openFeed();
    server.sync();
    await settle();
    const shown: Array<number | null> = [];
    const stopRecording = store.subscribe(() => shown.push(store.getSnapshot().unread));
    let release = () => {};
    server.countHeld = new Promise((resolve) => (release = resolve));
    server.rows.push(notification('n1', 'sent'));
    server.push(notification('n1', 'sent')); // its recount counts 1 and is held
    await settle();
    server.rows.push(notification('n2', 'sent', 2));
    server.push(notification('n2', 'sent', 2));
    await settle();
    expect(store.getSnapshot().unread).toBe(2);
    server.countHeld = null;
    release();
    for (let i = 0; i < 5; i++) await settle();
    expect(store.getSnapshot().unread).toBe(2);
    expect(shown).toContain(2);
    const sinceTwo = shown.slice(shown.indexOf(2));
    expect(sinceTwo).toEqual(sinceTwo.map(() => 2)); // never back to 1 once 2 was shown
    stopRecording();
    stop();
  });

  it('a row listed as sent but missed by the count is counted once its push arrives', async () => {
    const { server, store, stop } = openFeed();
    server.rows = [notification('n1', 'sent')];
    server.countOverride = 0; // the count ran before the row was stored as sent
    server.sync();
    await settle();
    expect(store.getSnapshot().unread).toBe(0);

    server.countOverride = null;
    server.push(notification('n1', 'sent')); // adds nothing by itself: the row was listed as sent
    await settle();
    expect(store.getSnapshot().unread).toBe(1);
    stop();
  });

  it('a row listed as sending but already counted is not counted twice when its push arrives', async () => {
    const { server, store, stop } = openFeed();
    server.rows = [notification('n1', 'sending')];
    server.countOverride = 1; // the count ran after the row was stored as sent
    server.sync();
    await settle();
    server.rows = [notification('n1', 'sent')];
    server.countOverride = null;
    server.push(notification('n1', 'sent'));
    await settle();
    expect(store.getSnapshot().unread).toBe(1);
    stop();
  });

  it('a count asked before a read mark does not undo the mark', async () => {
    const { server, store, stop } = openFeed();
    server.rows = [notification('n1', 'sent'), notification('n2', 'sent')];
    server.sync();
    await settle();
    expect(store.getSnapshot().unread).toBe(2);

    // A push asks the count; the user marks one read before that answer lands.
    server.countOverride = 2;
    server.push(notification('n2', 'sent'));
    const marking = store.markRead('n1');
    server.countOverride = null;
    await marking;
    await settle();
    expect(store.getSnapshot().unread).toBe(1);
    expect(server.countsAsked).toBeGreaterThanOrEqual(2);
    stop();
  });
});

describe('copies of one notification and the feed order', () => {
  it('a list answer read before a push does not take the pushed row back to sending', async () => {
    const { server, store, stop } = openFeed();
    server.rows = [notification('n1', 'sending', 5)];
    let release = () => {};
    server.listHeld = new Promise((resolve) => (release = resolve));
    server.sync(); // the list is read now ('sending') and answered later
    server.rows = [notification('n1', 'sent', 5)]; // stored as sent in the same millisecond
    server.push(notification('n1', 'sent', 5));
    release();
    await settle();
    await settle();
    expect(store.getSnapshot().items.map((n) => n.status)).toEqual(['sent']);
    expect(store.getSnapshot().unread).toBe(1);
    stop();
  });

  it('deliveries that finish out of order are listed newest first', async () => {
    const { server, store, stop } = openFeed();
    server.sync();
    await settle();
    const started = { ...notification('n1', 'sent', 10), type: 'job.started' };
    const completed = { ...notification('n2', 'sent', 20), type: 'job.completed' };
    server.rows = [completed, started];
    server.push(completed);
    server.push(started);
    await settle();
    expect(store.getSnapshot().items.map((n) => n.type)).toEqual(['job.completed', 'job.started']);
    stop();
  });
});
