import { expect, it } from 'vitest';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeData, makeDigestItem, makeNotification } from './fixtures.js';

export function enqueueTests(ctx: NotificationStoreContext): void {
  it('writes queued rows that read back field for field, the JSON data unchanged', async () => {
    const store = ctx.notifications();
    const data = makeData({ type: 'job.failed', percent: 50 });
    const urgent = makeNotification({ type: 'job.failed', channel: 'sms', jobId: 'job-1', urgent: true, data, dueAt: 1_500, escalatedFrom: 'n-original' });
    const plain = makeNotification();
    expect(await store.enqueue({ notifications: [urgent, plain], digestItems: [] }, 1_200)).toEqual({ notifications: 2, digestItems: 0 });

    expect(await store.get(urgent.id)).toEqual({
      id: urgent.id,
      key: urgent.key,
      userId: 'ada',
      type: 'job.failed',
      channel: 'sms',
      jobId: 'job-1',
      urgent: true,
      status: 'queued',
      data,
      attempts: 0,
      dueAt: 1_500,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: null,
      escalatedFrom: 'n-original',
      escalated: false,
      title: null,
      text: null,
      createdAt: 1_200,
      updatedAt: 1_200,
      sentAt: null,
      readAt: null,
      seenAt: null,
    });
    expect(await store.get(plain.id)).toMatchObject({ urgent: false, jobId: null, escalatedFrom: null });
    expect(await store.get('no-such-notification')).toBeNull();
  });

  it('an idempotency key is written once: a replayed event, in the same batch or a later one, adds nothing', async () => {
    const store = ctx.notifications();
    const first = makeNotification({ key: 'job-1:7|ada|email' });
    const sameKeyInBatch = makeNotification({ key: 'job-1:7|ada|email', dueAt: 9_999 });
    const other = makeNotification({ key: 'job-1:7|ada|in_app', channel: 'in_app' });
    expect(await store.enqueue({ notifications: [first, sameKeyInBatch, other], digestItems: [] }, 1_000)).toEqual({ notifications: 2, digestItems: 0 });
    const replay = makeNotification({ key: 'job-1:7|ada|email' });
    expect(await store.enqueue({ notifications: [replay], digestItems: [] }, 2_000)).toEqual({ notifications: 0, digestItems: 0 });

    expect(await store.get(first.id)).toMatchObject({ key: 'job-1:7|ada|email', dueAt: 1_000, createdAt: 1_000 });
    expect(await store.get(sameKeyInBatch.id)).toBeNull();
    expect(await store.get(replay.id)).toBeNull();
    expect((await store.countByStatus()).queued).toBe(2);
  });

  it('the event cursor starts empty and only moves forward, also past 2^31', async () => {
    const store = ctx.notifications();
    expect(await store.savedCursor()).toBeNull();
    await store.enqueue({ notifications: [], digestItems: [], cursor: 10 }, 1_000);
    expect(await store.savedCursor()).toBe(10);
    await store.enqueue({ notifications: [], digestItems: [], cursor: 9 }, 1_000);
    expect(await store.savedCursor()).toBe(10);
    await store.enqueue({ notifications: [makeNotification()], digestItems: [] }, 1_000);
    expect(await store.savedCursor()).toBe(10);
    // 10 < 9 as text: the comparison must be numeric.
    await store.enqueue({ notifications: [], digestItems: [], cursor: 100 }, 1_000);
    await store.enqueue({ notifications: [], digestItems: [], cursor: 11 }, 1_000);
    expect(await store.savedCursor()).toBe(100);
    await store.enqueue({ notifications: [], digestItems: [], cursor: 5_000_000_000 }, 1_000);
    expect(await store.savedCursor()).toBe(5_000_000_000);
  });

  it('a batch is one transaction: when a row cannot be written, neither the other rows nor the cursor are', async () => {
    const store = ctx.notifications();
    const good = makeNotification();
    const bad = makeNotification({ data: makeData({ alert: { kind: 'x', message: 'y', size: 1n as unknown as number } }) });
    await expect(store.enqueue({ notifications: [good, bad], digestItems: [makeDigestItem()], cursor: 42 }, 1_000)).rejects.toThrow();
    expect(await store.get(good.id)).toBeNull();
    expect(await store.savedCursor()).toBeNull();
    expect(await store.flushDigests(10_000_000, () => 'unused')).toBe(0);
  });

  it('another node sees what one node enqueued, and its replay of the same keys adds nothing', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => makeNotification({ key: `job-9:${i}|ada|email` }));
    const other = await ctx.openSame();
    const [a, b] = await Promise.all([
      ctx.notifications().enqueue({ notifications: rows, digestItems: [], cursor: 20 }, 1_000),
      other.enqueue({ notifications: rows.map((r) => makeNotification({ key: r.key })), digestItems: [], cursor: 20 }, 1_000),
    ]);
    expect(a.notifications + b.notifications).toBe(20);
    expect((await other.countByStatus()).queued).toBe(20);
    expect(await other.savedCursor()).toBe(20);
  });
}
