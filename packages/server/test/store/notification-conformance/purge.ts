import { expect, it } from 'vitest';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeDigestItem, makeNotification, outcome } from './fixtures.js';

const HOUR = 3_600_000;

export function purgeTests(ctx: NotificationStoreContext): void {
  /** One row in each delivery state, all created at 0 and last changed at 1,000–1,200. */
  async function oneOfEach() {
    const store = ctx.notifications();
    // Claimed in due order: n-queued is the one left out (the limit), n-sending stays leased.
    const rows = ['sent', 'dead', 'failed', 'deferred', 'sending', 'queued'].map((name, i) => makeNotification({ id: `n-${name}`, key: `k-${name}`, dueAt: i }));
    await store.enqueue({ notifications: rows, digestItems: [] }, 0);
    expect(await store.claimDue('node-a', 1_000, 99_000, 5)).toHaveLength(5);
    await store.complete(outcome('n-sent', 'node-a', 1, 'sent', { at: 1_000 }), 1_100);
    await store.complete(outcome('n-dead', 'node-a', 1, 'dead', { at: 1_000 }), 1_100);
    await store.complete(outcome('n-failed', 'node-a', 1, 'failed', { at: 1_000, dueAt: 50_000 }), 1_100);
    await store.defer('n-deferred', 'node-a', 50_000, 1_200);
  }

  it('purgeExpired deletes sent and dead notifications finished before the cutoff, with their attempts, and nothing still to be sent or retried', async () => {
    const store = ctx.notifications();
    await oneOfEach();
    expect(await store.purgeExpired(1_100, 100)).toBe(0); // finished at 1,100: not before it
    expect(await store.purgeExpired(10_000, 100)).toBe(2);
    expect(await store.get('n-sent')).toBeNull();
    expect(await store.get('n-dead')).toBeNull();
    for (const kept of ['n-failed', 'n-deferred', 'n-sending', 'n-queued']) expect(await store.get(kept)).not.toBeNull();
    const { items } = await store.list({ limit: 10 });
    expect(items.map((n) => n.id).sort()).toEqual(['n-deferred', 'n-failed', 'n-queued', 'n-sending']);
    expect(items.find((n) => n.id === 'n-failed')!.history).toHaveLength(1);
    expect(await store.purgeExpired(10_000, 100)).toBe(0);
    // The purged keys are free again: nothing of them is left behind.
    expect(await store.enqueue({ notifications: [makeNotification({ key: 'k-sent' })], digestItems: [] }, 20_000)).toEqual({ notifications: 1, digestItems: 0 });
  });

  it('purgeExpired takes at most `limit` notifications a call, the oldest first', async () => {
    const store = ctx.notifications();
    const rows = [0, 1, 2, 3, 4].map((i) => makeNotification({ id: `n-${i}`, dueAt: 0 }));
    await store.enqueue({ notifications: rows, digestItems: [] }, 0);
    await store.claimDue('node-a', 1_000, 99_000, 10);
    for (const i of [4, 3, 2, 1, 0]) await store.complete(outcome(`n-${i}`, 'node-a', 1, 'sent'), 2_000 + (4 - i));
    expect(await store.purgeExpired(10_000, 2)).toBe(2);
    expect((await store.list({ limit: 10 })).items.map((n) => n.id).sort()).toEqual(['n-0', 'n-1', 'n-2']);
    expect(await store.purgeExpired(10_000, 2)).toBe(2);
    expect(await store.purgeExpired(10_000, 2)).toBe(1);
    expect(await store.purgeExpired(10_000, 2)).toBe(0);
  });

  it('purgeExpired deletes digests closed before the cutoff with their items; an open digest and the messages not yet sent stay', async () => {
    const store = ctx.notifications();
    const closed = makeDigestItem({ digestId: 'd-closed', itemKey: 'item-closed' });
    const open = makeDigestItem({ digestId: 'd-open', itemKey: 'item-open', windowStart: HOUR, windowEnd: 2 * HOUR });
    await store.enqueue({ notifications: [], digestItems: [closed, open] }, 100);
    expect(await store.flushDigests(HOUR, () => 'digest-message')).toBe(1);

    expect(await store.purgeExpired(HOUR, 100)).toBe(0);
    expect(await store.purgeExpired(HOUR + 1, 100)).toBe(1);
    expect(await store.get('digest-message')).toMatchObject({ status: 'queued' });
    // The closed digest's item is gone (its key is free again); the open one's is still there.
    expect(await store.enqueue({ notifications: [], digestItems: [{ ...closed, windowStart: 2 * HOUR, windowEnd: 3 * HOUR }, open] }, HOUR + 2)).toEqual({ notifications: 0, digestItems: 1 });
    expect(await store.flushDigests(2 * HOUR, () => 'second-message')).toBe(1);
    expect((await store.get('second-message'))!.data.digest!.count).toBe(1);
  });
}
