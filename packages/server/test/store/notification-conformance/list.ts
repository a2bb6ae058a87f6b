import { HeadwayError } from '@headway/protocol';
import { expect, it } from 'vitest';
import type { NotificationRecord } from '../../../src/store/notification-store.js';
import type { NotificationStoreContext } from '../notification-conformance.js';
import { makeNotification, outcome } from './fixtures.js';

export function listTests(ctx: NotificationStoreContext): void {
  it('pages newest first on (createdAt, id) and every row appears exactly once, also when rows share a createdAt', async () => {
    const store = ctx.notifications();
    const createdAt = (i: number) => 1_000 + Math.floor(i / 3);
    const written: string[] = [];
    for (let i = 0; i < 23; i++) {
      const row = makeNotification();
      written.push(row.id);
      // Three rows per millisecond: the id breaks the tie.
      await store.enqueue({ notifications: [row], digestItems: [] }, createdAt(i));
    }
    const seen: NotificationRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await store.list({ limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items);
      if (!result.nextCursor) break;
      expect(result.items).toHaveLength(5);
      cursor = result.nextCursor;
    }
    const newestFirst = written.map((id, i) => ({ id, createdAt: createdAt(i) })).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    expect(seen.map((n) => [n.createdAt, n.id])).toEqual(newestFirst.map((n) => [n.createdAt, n.id]));
  });

  it('the last page has no next cursor, and an empty outbox lists nothing', async () => {
    const store = ctx.notifications();
    expect(await store.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
    await store.enqueue({ notifications: [makeNotification(), makeNotification()], digestItems: [] }, 1_000);
    const page = await store.list({ limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by user, statuses, type, channel and job, and they combine', async () => {
    const store = ctx.notifications();
    const rows = [
      makeNotification({ userId: 'ada', type: 'job.completed', channel: 'email', jobId: 'job-1' }),
      makeNotification({ userId: 'ada', type: 'job.failed', channel: 'in_app', jobId: 'job-1' }),
      makeNotification({ userId: 'bob', type: 'job.completed', channel: 'email', jobId: 'job-2' }),
      makeNotification({ userId: 'bob', type: 'job.failed', channel: 'sms', jobId: null, dueAt: 999_999 }),
    ];
    await store.enqueue({ notifications: rows, digestItems: [] }, 1_000);
    const [claimed] = await store.claimDue('node-a', 1_000, 2_000, 1);
    await store.complete(outcome(claimed!.id, 'node-a', 1, 'sent'), 1_100);

    const ids = async (query: Parameters<typeof store.list>[0]) => (await store.list(query)).items.map((n) => n.id).sort();
    const sorted = (...xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();
    expect(await ids({ limit: 10, userId: 'ada' })).toEqual(sorted(rows[0]!, rows[1]!));
    expect(await ids({ limit: 10, type: 'job.failed' })).toEqual(sorted(rows[1]!, rows[3]!));
    expect(await ids({ limit: 10, channel: 'email' })).toEqual(sorted(rows[0]!, rows[2]!));
    expect(await ids({ limit: 10, jobId: 'job-1' })).toEqual(sorted(rows[0]!, rows[1]!));
    expect(await ids({ limit: 10, statuses: ['sent'] })).toEqual([claimed!.id]);
    expect(await ids({ limit: 10, statuses: ['queued', 'sent'] })).toEqual(sorted(...rows));
    expect(await ids({ limit: 10, userId: 'bob', type: 'job.failed', statuses: ['queued'] })).toEqual(sorted(rows[3]!));
    expect(await ids({ limit: 10, userId: 'carol' })).toEqual([]);
  });

  it('a cursor this store did not give out is a VALIDATION_FAILED error that names the parameter', async () => {
    const store = ctx.notifications();
    for (const cursor of ['not-a-cursor', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const error = await store.list({ limit: 5, cursor }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HeadwayError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('cursor') });
    }
  });

  it('counts rows by delivery status, every status present', async () => {
    const store = ctx.notifications();
    expect(await store.countByStatus()).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, deferred: 0, dead: 0, skipped: 0 });
    await store.enqueue({ notifications: Array.from({ length: 5 }, (_, i) => makeNotification({ dueAt: i })), digestItems: [] }, 0);
    const [a, b, c] = await store.claimDue('node-a', 100, 1_000, 3);
    await store.complete(outcome(a!.id, 'node-a', 1, 'sent'), 200);
    await store.complete(outcome(b!.id, 'node-a', 1, 'failed', { dueAt: 5_000 }), 200);
    await store.defer(c!.id, 'node-a', 9_000, 200);
    await store.claimDue('node-a', 100, 1_000, 1);
    expect(await store.countByStatus()).toEqual({ queued: 1, sending: 1, sent: 1, failed: 1, deferred: 1, dead: 0, skipped: 0 });
  });
}
