import { expect, it } from 'vitest';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeNotification, outcome } from './fixtures.js';

export function dispatchTests(ctx: NotificationStoreContext): void {
  /** Enqueues rows due at the given times (created at 0) and returns their ids in that order. */
  async function enqueueDue(...dueAts: number[]): Promise<string[]> {
    const rows = dueAts.map((dueAt) => makeNotification({ dueAt }));
    await ctx.notifications().enqueue({ notifications: rows, digestItems: [] }, 0);
    return rows.map((r) => r.id);
  }

  it('claims due rows oldest due first, up to the limit, leased to the caller; claimed rows are not claimed again', async () => {
    const store = ctx.notifications();
    const [late, early, notDue, middle] = await enqueueDue(300, 100, 5_000, 200);
    const first = await store.claimDue('node-a', 1_000, 31_000, 2);
    expect(first.map((n) => n.id)).toEqual([early, middle]);
    for (const n of first) expect(n).toMatchObject({ status: 'sending', leaseOwner: 'node-a', leaseExpiresAt: 31_000, updatedAt: 1_000, attempts: 0 });
    expect(await store.get(early!)).toEqual(first[0]);

    expect((await store.claimDue('node-b', 1_000, 31_000, 10)).map((n) => n.id)).toEqual([late]);
    expect(await store.claimDue('node-b', 1_000, 31_000, 10)).toEqual([]);
    expect(await store.get(notDue!)).toMatchObject({ status: 'queued', leaseOwner: null });
    expect((await store.countByStatus()).sending).toBe(3);
  });

  it('two nodes claiming at once never get the same row', async () => {
    const ids = await enqueueDue(...Array.from({ length: 60 }, (_, i) => i));
    const other = await ctx.openSame();
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? ctx.notifications() : other).claimDue(`node-${i}`, 1_000, 31_000, 7)),
    );
    const claimed = batches.flat().map((n) => n.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  it('a sent attempt records sentAt, the rendered title and text, and the attempt history, and frees the lease', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.complete(outcome(id!, 'node-a', 1, 'sent', { title: 'Import finished', text: 'All 3 files', at: 1_100 }), 1_200)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'sent', attempts: 1, sentAt: 1_200, updatedAt: 1_200, title: 'Import finished', text: 'All 3 files', lastError: null, leaseOwner: null, leaseExpiresAt: null });
    const { items } = await store.list({ limit: 10 });
    expect(items[0]!.history).toEqual([{ attempt: 1, channel: 'email', startedAt: 1_100, endedAt: 1_105, outcome: 'sent', error: null }]);
    expect(await store.claimDue('node-a', 99_000, 129_000, 10)).toEqual([]);
  });

  it('a failed attempt waits for its backoff, then is claimed again; each attempt joins the history in order', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.complete(outcome(id!, 'node-a', 1, 'failed', { error: 'SMTP 451', dueAt: 6_000, at: 1_000 }), 1_050)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'failed', attempts: 1, dueAt: 6_000, lastError: 'SMTP 451', sentAt: null, leaseOwner: null });
    expect(await store.claimDue('node-b', 5_999, 35_999, 10)).toEqual([]);

    const [again] = await store.claimDue('node-b', 6_000, 36_000, 10);
    expect(again).toMatchObject({ id, status: 'sending', leaseOwner: 'node-b', attempts: 1, lastError: 'SMTP 451' });
    expect(await store.complete(outcome(id!, 'node-b', 2, 'sent', { at: 6_000 }), 6_010)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'sent', attempts: 2, sentAt: 6_010, lastError: null, dueAt: 6_000 });
    const { items } = await store.list({ limit: 1 });
    expect(items[0]!.history.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, 'failed', 'SMTP 451'],
      [2, 'sent', null],
    ]);
  });

  it('a dead row is never claimed again and keeps its last error', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.complete(outcome(id!, 'node-a', 5, 'dead', { error: 'gave up after 5 attempts' }), 1_100)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'dead', attempts: 5, lastError: 'gave up after 5 attempts', sentAt: null });
    expect(await store.claimDue('node-a', 10_000_000, 10_030_000, 10)).toEqual([]);
    expect(await store.countByStatus()).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, deferred: 0, dead: 1, skipped: 0 });
  });

  it('an outcome from a node that lost the lease writes nothing', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.complete(outcome(id!, 'node-b', 1, 'sent'), 1_100)).toBe(false);
    expect(await store.get(id!)).toMatchObject({ status: 'sending', leaseOwner: 'node-a', attempts: 0 });

    expect(await store.requeueLeased({ leaseExpiredBefore: 40_000 }, 40_000)).toBe(1);
    expect(await store.complete(outcome(id!, 'node-a', 1, 'sent'), 40_100)).toBe(false);
    expect(await store.get(id!)).toMatchObject({ status: 'queued', attempts: 0, sentAt: null });
    expect((await store.list({ limit: 1 })).items[0]!.history).toEqual([]);
  });

  it('requeue by owner (a restart) and by lease expiry (a dead node) puts only those rows back, due now', async () => {
    const store = ctx.notifications();
    const ids = await enqueueDue(1, 2, 3, 4);
    await store.claimDue('node-a', 1_000, 10_000, 2);
    await store.claimDue('node-b', 1_000, 20_000, 1);
    await store.claimDue('node-c', 1_000, 30_000, 1);

    expect(await store.requeueLeased({ leaseOwner: 'node-a' }, 2_000)).toBe(2);
    for (const id of ids.slice(0, 2)) expect(await store.get(id)).toMatchObject({ status: 'queued', leaseOwner: null, leaseExpiresAt: null, dueAt: 2_000, updatedAt: 2_000 });
    expect(await store.requeueLeased({ leaseOwner: 'node-a' }, 2_500)).toBe(0);

    // Strictly before: a lease ending at 20,000 is still held at 20,000.
    expect(await store.requeueLeased({ leaseExpiredBefore: 20_000 }, 20_000)).toBe(0);
    expect(await store.requeueLeased({ leaseExpiredBefore: 20_001 }, 20_001)).toBe(1);
    expect(await store.get(ids[2]!)).toMatchObject({ status: 'queued', leaseOwner: null, dueAt: 20_001 });
    expect(await store.get(ids[3]!)).toMatchObject({ status: 'sending', leaseOwner: 'node-c' });
  });

  it('a deferred row (quiet hours) waits until its time without counting an attempt; only the lease holder can defer', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.defer(id!, 'node-b', 50_000, 1_100)).toBe(false);
    expect(await store.defer(id!, 'node-a', 50_000, 1_100)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'deferred', dueAt: 50_000, attempts: 0, leaseOwner: null, leaseExpiresAt: null, updatedAt: 1_100 });
    expect(await store.defer(id!, 'node-a', 60_000, 1_200)).toBe(false);
    expect(await store.claimDue('node-a', 49_999, 79_999, 10)).toEqual([]);
    expect((await store.claimDue('node-a', 50_000, 80_000, 10)).map((n) => n.id)).toEqual([id]);
  });

  it('escalation is marked once per row and its origin is kept', async () => {
    const store = ctx.notifications();
    const origin = makeNotification({ urgent: true });
    const escalated = makeNotification({ channel: 'sms', urgent: true, escalatedFrom: origin.id, key: `${origin.key}|escalated|sms` });
    await store.enqueue({ notifications: [origin], digestItems: [] }, 0);
    await store.markEscalated(origin.id);
    await store.enqueue({ notifications: [escalated], digestItems: [] }, 10);
    expect(await store.get(origin.id)).toMatchObject({ escalated: true, escalatedFrom: null });
    expect(await store.get(escalated.id)).toMatchObject({ escalated: false, escalatedFrom: origin.id, channel: 'sms' });
  });

  it('skip marks a claimed row skipped with its reason as lastError, frees the lease and records no attempt; another lease holder cannot', async () => {
    const store = ctx.notifications();
    const [id] = await enqueueDue(100);
    await store.claimDue('node-a', 1_000, 31_000, 10);
    expect(await store.skip(id!, 'node-b', 'skipped: not mine', 1_100)).toBe(false);
    expect(await store.skip(id!, 'node-a', 'skipped: ada muted job j-1', 1_200)).toBe(true);
    expect(await store.get(id!)).toMatchObject({ status: 'skipped', lastError: 'skipped: ada muted job j-1', leaseOwner: null, leaseExpiresAt: null, attempts: 0, updatedAt: 1_200, sentAt: null });
    expect((await store.list({ limit: 10, statuses: ['skipped'] })).items[0]!.history).toEqual([]);
    expect((await store.countByStatus()).skipped).toBe(1);
    expect(await store.claimDue('node-a', 99_000, 129_000, 10)).toEqual([]);
  });
}
