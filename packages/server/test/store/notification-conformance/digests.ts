import { expect, it } from 'vitest';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeData, makeDigestItem } from './fixtures.js';

const HOUR = 3_600_000;

export function digestTests(ctx: NotificationStoreContext): void {
  let ids = 0;
  const newId = () => `digest-message-${++ids}`;

  it('items gather in one digest per (user, type, key, window); at the window end it becomes one message per channel, once', async () => {
    const store = ctx.notifications();
    const first = makeDigestItem({ digestId: 'd-1', channels: ['email'], data: makeData({ at: 10 }) });
    const second = makeDigestItem({ digestId: 'd-2', channels: ['in_app'], data: makeData({ at: 20 }) });
    const otherUser = makeDigestItem({ digestId: 'd-3', userId: 'bob', data: makeData({ at: 30 }) });
    expect(await store.enqueue({ notifications: [], digestItems: [first] }, 100)).toEqual({ notifications: 0, digestItems: 1 });
    expect(await store.enqueue({ notifications: [], digestItems: [second, otherUser] }, 200)).toEqual({ notifications: 0, digestItems: 2 });

    expect(await store.flushDigests(HOUR - 1, newId)).toBe(0);
    expect(await store.flushDigests(HOUR, newId)).toBe(3);
    expect(await store.flushDigests(HOUR + 1, newId)).toBe(0);

    const { items } = await store.list({ limit: 10, userId: 'ada' });
    expect(items.map((n) => [n.key, n.channel]).sort()).toEqual([
      ['digest:d-1|email', 'email'],
      ['digest:d-1|in_app', 'in_app'],
    ]);
    for (const n of items) {
      expect(n).toMatchObject({ userId: 'ada', type: 'job.completed', status: 'queued', jobId: null, urgent: false, dueAt: HOUR, createdAt: HOUR });
      expect(n.data).toEqual({ type: 'job.completed', at: HOUR, job: null, digest: { count: 2, windowStart: 0, windowEnd: HOUR, items: [first.data, second.data] } });
    }
    const [bobs] = (await store.list({ limit: 10, userId: 'bob' })).items;
    expect(bobs!.data.digest).toEqual({ count: 1, windowStart: 0, windowEnd: HOUR, items: [otherUser.data] });
  });

  it('an item is added once: a replayed event with the same item key is not counted twice', async () => {
    const store = ctx.notifications();
    const item = makeDigestItem({ digestId: 'd-1' });
    expect(await store.enqueue({ notifications: [], digestItems: [item, { ...item, digestId: 'd-other' }] }, 100)).toEqual({ notifications: 0, digestItems: 1 });
    expect(await store.enqueue({ notifications: [], digestItems: [item] }, 200)).toEqual({ notifications: 0, digestItems: 0 });
    await store.flushDigests(HOUR, newId);
    const [message] = (await store.list({ limit: 10 })).items;
    expect(message!.data.digest!.count).toBe(1);
  });

  it('different keys and windows are different digests', async () => {
    const store = ctx.notifications();
    await store.enqueue(
      {
        notifications: [],
        digestItems: [
          makeDigestItem({ digestId: 'd-all', digestKey: 'all' }),
          makeDigestItem({ digestId: 'd-import', digestKey: 'jobType:import' }),
          makeDigestItem({ digestId: 'd-next', windowStart: HOUR, windowEnd: 2 * HOUR }),
        ],
      },
      100,
    );
    expect(await store.flushDigests(HOUR, newId)).toBe(2);
    expect(await store.flushDigests(2 * HOUR, newId)).toBe(1);
    const keys = (await store.list({ limit: 10 })).items.map((n) => n.key).sort();
    expect(keys).toEqual(['digest:d-all|email', 'digest:d-import|email', 'digest:d-next|email']);
  });

  it('an item arriving after its digest was sent goes into the next window instead of being lost', async () => {
    const store = ctx.notifications();
    await store.enqueue({ notifications: [], digestItems: [makeDigestItem({ digestId: 'd-1' })] }, 100);
    expect(await store.flushDigests(HOUR, newId)).toBe(1);
    // Another node's clock was behind: it still thinks the first window is open.
    const late = makeDigestItem({ digestId: 'd-late', data: makeData({ at: HOUR - 5 }) });
    expect(await store.enqueue({ notifications: [], digestItems: [late] }, HOUR + 10)).toEqual({ notifications: 0, digestItems: 1 });
    expect(await store.flushDigests(2 * HOUR - 1, newId)).toBe(0);
    expect(await store.flushDigests(2 * HOUR, newId)).toBe(1);
    const next = (await store.list({ limit: 10 })).items.find((n) => n.key !== 'digest:d-1|email');
    expect(next).toMatchObject({ key: `digest:d-late+${HOUR}|email` });
    expect(next!.data.digest).toEqual({ count: 1, windowStart: HOUR, windowEnd: 2 * HOUR, items: [late.data] });
  });

  it('two nodes flushing at once send each digest once', async () => {
    const items = Array.from({ length: 30 }, (_, i) => makeDigestItem({ digestId: `d-${i}`, userId: `user-${i}`, channels: ['email', 'in_app'] }));
    await ctx.notifications().enqueue({ notifications: [], digestItems: items }, 100);
    const other = await ctx.openSame();
    const written = await Promise.all([ctx.notifications().flushDigests(HOUR, newId), other.flushDigests(HOUR, newId), ctx.notifications().flushDigests(HOUR, newId)]);
    expect(written.reduce((a, b) => a + b, 0)).toBe(60);
    expect((await other.countByStatus()).queued).toBe(60);
  });
}
