import { expect, it } from 'vitest';
import type { ChannelName } from '../../../src/notify/types.js';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeNotification, outcome } from './fixtures.js';

export function inAppTests(ctx: NotificationStoreContext): void {
  /** Writes and delivers one notification per entry; returns their ids in order. */
  async function delivered(rows: Array<{ userId: string; channel: ChannelName; send?: boolean }>): Promise<string[]> {
    const store = ctx.notifications();
    const made = rows.map((r, i) => makeNotification({ userId: r.userId, channel: r.channel, dueAt: i }));
    await store.enqueue({ notifications: made, digestItems: [] }, 0);
    const claimed = await store.claimDue('node-a', 1_000, 60_000, made.length);
    for (const n of claimed) {
      const send = rows[made.findIndex((m) => m.id === n.id)]!.send ?? true;
      if (send) await store.complete(outcome(n.id, 'node-a', 1, 'sent', { channel: n.channel }), 1_000);
    }
    return made.map((m) => m.id);
  }

  it('unread counts only delivered in-app rows of that user', async () => {
    const store = ctx.notifications();
    await delivered([
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'in_app', send: false },
      { userId: 'ada', channel: 'email' },
      { userId: 'bob', channel: 'in_app' },
    ]);
    expect(await store.unreadCount('ada')).toBe(2);
    expect(await store.unreadCount('bob')).toBe(1);
    expect(await store.unreadCount('carol')).toBe(0);
  });

  it('marking read by id changes only that user\'s unread in-app rows, once', async () => {
    const store = ctx.notifications();
    const [a1, a2, aEmail, b1] = await delivered([
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'email' },
      { userId: 'bob', channel: 'in_app' },
    ]);
    expect(await store.markRead('ada', [a1!, aEmail!, b1!, 'no-such-id'], 5_000)).toBe(1);
    expect(await store.markRead('ada', [a1!], 6_000)).toBe(0);
    expect(await store.markRead('ada', [], 6_000)).toBe(0);
    expect(await store.get(a1!)).toMatchObject({ readAt: 5_000, seenAt: null });
    expect(await store.get(aEmail!)).toMatchObject({ readAt: null });
    expect(await store.get(b1!)).toMatchObject({ readAt: null });
    expect(await store.unreadCount('ada')).toBe(1);
    expect((await store.list({ limit: 10, userId: 'ada', unreadOnly: true })).items.map((n) => n.id)).toEqual([a2]);
  });

  it('marking all read and marking seen are separate, and all-read keeps earlier read times', async () => {
    const store = ctx.notifications();
    const [a1, a2, a3, b1] = await delivered([
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'in_app' },
      { userId: 'ada', channel: 'in_app' },
      { userId: 'bob', channel: 'in_app' },
    ]);
    await store.markRead('ada', [a1!], 5_000);
    expect(await store.markRead('ada', undefined, 7_000)).toBe(2);
    expect(await store.get(a1!)).toMatchObject({ readAt: 5_000 });
    expect(await store.get(a3!)).toMatchObject({ readAt: 7_000, seenAt: null });
    expect(await store.unreadCount('ada')).toBe(0);
    expect(await store.unreadCount('bob')).toBe(1);

    expect(await store.markSeen('bob', [b1!, a2!], 8_000)).toBe(1);
    expect(await store.get(b1!)).toMatchObject({ seenAt: 8_000, readAt: null });
    expect(await store.markSeen('ada', undefined, 9_000)).toBe(3);
    expect(await store.markSeen('ada', undefined, 9_500)).toBe(0);
    expect(await store.unreadCount('bob')).toBe(1);
  });
}
