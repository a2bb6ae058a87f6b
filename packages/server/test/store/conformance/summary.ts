import { expect, it } from 'vitest';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

export function summaryTests(ctx: StoreContext): void {
  it('childSummary counts direct children by status and weights their percent', async () => {
    const parent = makeJob();
    const child = (status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled', weight: number, percent: number) =>
      makeJob({ parentId: parent.id, status, weight, percent });
    const running = child('running', 1, 50);
    await seed(ctx.store(), [
      parent,
      child('queued', 1, 0),
      child('queued', 1, 0),
      running,
      child('paused', 2, 25),
      child('completed', 3, 100),
      child('failed', 1, 10),
      child('cancelled', 1, 0),
      makeJob({ parentId: running.id, status: 'completed', weight: 100, percent: 100 }), // a grandchild is not a child
    ]);
    const summary = await ctx.store().jobs.childSummary(parent.id);
    expect(summary.counts).toEqual({ total: 7, pending: 2, running: 1, paused: 1, completed: 1, failed: 1, cancelled: 1 });
    // (0 + 0 + 50 + 2×25 + 3×100 + 10 + 0) / (1+1+1+2+3+1+1)
    expect(summary.weightedPercent).toBeCloseTo(410 / 10, 9);
  });

  it('childSummary of a job without children is all zeros', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    expect(await ctx.store().jobs.childSummary(job!.id)).toEqual({
      counts: { total: 0, pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 },
      weightedPercent: 0,
    });
  });

  it('recentDurations gives work time (finished − started − paused) of the newest completed jobs of a type', async () => {
    const done = (finishedAt: number, durationMs: number, pausedMs = 0, overrides = {}) =>
      makeJob({ status: 'completed', startedAt: finishedAt - durationMs - pausedMs, finishedAt, pausedMs, ...overrides });
    await seed(ctx.store(), [
      done(10_000, 4_000),
      done(30_000, 6_000, 5_000),
      done(20_000, 5_000),
      done(40_000, 9_999, 0, { type: 'video' }),
      done(50_000, 1_000, 0, { status: 'failed' }),
      makeJob({ status: 'running', startedAt: 1_000 }),
    ]);
    expect(await ctx.store().jobs.recentDurations('import', 10)).toEqual([6_000, 5_000, 4_000]);
    expect(await ctx.store().jobs.recentDurations('import', 2)).toEqual([6_000, 5_000]);
    expect(await ctx.store().jobs.recentDurations('unknown', 10)).toEqual([]);
  });

  it('purgeFinished deletes top-level jobs finished before the cutoff with their trees and events', async () => {
    const oldBatch = makeJob({ status: 'completed', finishedAt: 1_000 });
    const oldChildren = [makeJob({ parentId: oldBatch.id, status: 'completed', finishedAt: 900 }), makeJob({ parentId: oldBatch.id, status: 'cancelled', finishedAt: 1_000 })];
    const grandchild = makeJob({ parentId: oldChildren[0]!.id, status: 'completed', finishedAt: 800 });
    const oldFailed = makeJob({ status: 'failed', finishedAt: 4_999, tags: ['gone'] });
    const recent = makeJob({ status: 'completed', finishedAt: 5_000 });
    const unfinished = makeJob({ status: 'paused', finishedAt: null });
    const liveBatch = makeJob({ status: 'running' });
    const finishedChildOfLive = makeJob({ parentId: liveBatch.id, status: 'completed', finishedAt: 100 });
    await seed(ctx.store(), [oldBatch, ...oldChildren, grandchild, oldFailed, recent, unfinished, liveBatch, finishedChildOfLive]);

    expect(await ctx.store().jobs.purgeFinished(5_000, 100)).toBe(5);
    for (const gone of [oldBatch, ...oldChildren, grandchild, oldFailed]) {
      expect(await ctx.store().jobs.get(gone.id)).toBeNull();
      expect(await ctx.store().jobs.events(gone.id, 0, 10)).toEqual([]);
    }
    for (const kept of [recent, unfinished, liveBatch, finishedChildOfLive]) expect(await ctx.store().jobs.get(kept.id)).not.toBeNull();
    expect((await ctx.store().jobs.list({ tag: 'gone', limit: 10 })).items).toEqual([]);
    expect((await ctx.store().jobs.eventsSince(0, 100)).map((e) => e.jobId).sort()).toEqual([recent, unfinished, liveBatch, finishedChildOfLive].map((j) => j.id).sort());
    expect(await ctx.store().jobs.purgeFinished(5_000, 100)).toBe(0);
  });

  it('purgeFinished takes at most `limit` top-level jobs a call, the oldest first, each with its whole tree', async () => {
    const oldest = makeJob({ status: 'completed', finishedAt: 100 });
    const children = [1, 2, 3].map(() => makeJob({ parentId: oldest.id, status: 'completed', finishedAt: 90 }));
    const second = makeJob({ status: 'failed', finishedAt: 200 });
    const third = makeJob({ status: 'cancelled', finishedAt: 300 });
    await seed(ctx.store(), [third, oldest, ...children, second]);

    expect(await ctx.store().jobs.purgeFinished(1_000, 2)).toBe(5); // two trees: the batch of four, then `second`
    expect(await ctx.store().jobs.get(third.id)).not.toBeNull();
    for (const gone of [oldest, ...children, second]) expect(await ctx.store().jobs.get(gone.id)).toBeNull();
    expect(await ctx.store().jobs.purgeFinished(1_000, 2)).toBe(1);
    expect(await ctx.store().jobs.purgeFinished(1_000, 2)).toBe(0);
  });

  it('purgeFinished takes the purged jobs\' watches and their notifications no longer waiting to be sent; pending ones stay', async () => {
    const store = ctx.store();
    const old = makeJob({ status: 'completed', finishedAt: 1_000 });
    const recent = makeJob({ status: 'completed', finishedAt: 9_000 });
    await seed(store, [old, recent]);
    const note = (id: string, jobId: string) => ({ id, key: id, userId: 'ada', type: 'job.completed', channel: 'email' as const, jobId, urgent: false, data: { type: 'job.completed', at: 1_000, job: null }, dueAt: 0 });
    await store.notifications.enqueue({ notifications: [note('old-sent', old.id), note('old-retrying', old.id), note('recent-sent', recent.id), note('old-queued', old.id)], digestItems: [] }, 0);
    await store.notifications.claimDue('node', 1_000, 99_000, 3);
    const attempt = (outcome: 'sent' | 'failed') => ({ attempt: 1, channel: 'email' as const, startedAt: 1_000, endedAt: 1_000, outcome, error: null });
    await store.notifications.complete({ id: 'old-sent', leaseOwner: 'node', status: 'sent', attempt: attempt('sent') }, 20_000);
    await store.notifications.complete({ id: 'old-retrying', leaseOwner: 'node', status: 'failed', dueAt: 30_000, attempt: attempt('failed') }, 20_000);
    await store.notifications.complete({ id: 'recent-sent', leaseOwner: 'node', status: 'sent', attempt: attempt('sent') }, 20_000);
    for (const job of [old, recent]) await store.notifications.watch({ userId: 'ada', target: { kind: 'job', value: job.id }, createdAt: 1 });
    await store.notifications.watch({ userId: 'ada', target: { kind: 'type', value: old.type }, createdAt: 1 });

    expect(await store.jobs.purgeFinished(5_000, 100)).toBe(1);
    expect(await store.notifications.get('old-sent')).toBeNull();
    for (const kept of ['old-retrying', 'old-queued', 'recent-sent']) expect(await store.notifications.get(kept)).not.toBeNull();
    expect((await store.notifications.watchesOf('ada')).map((w) => `${w.target.kind}:${w.target.value}`).sort()).toEqual([`job:${recent.id}`, `type:${old.type}`].sort());
  });

  it("purgeFinished takes the purged jobs' ids (a batch's items too) out of every user's muted jobs; other ids and preferences stay", async () => {
    const store = ctx.store();
    const oldBatch = makeJob({ status: 'completed', finishedAt: 1_000 });
    const oldItem = makeJob({ parentId: oldBatch.id, status: 'completed', finishedAt: 900 });
    const oldFailed = makeJob({ status: 'failed', finishedAt: 2_000 });
    const recent = makeJob({ status: 'completed', finishedAt: 9_000 });
    await seed(store, [oldBatch, oldItem, oldFailed, recent]);
    const mute = (userId: string, jobIds: string[]) => store.notifications.updatePreferences(userId, (current) => ({ ...current, timeZone: 'Europe/Paris', mutedJobs: jobIds }), 1);
    await mute('ada', [recent.id, oldBatch.id, 'not-a-job', oldItem.id, oldFailed.id]);
    await mute('bob', [oldItem.id]);
    await mute('cyd', [recent.id]);
    await mute('dan', []);

    expect(await store.jobs.purgeFinished(5_000, 100)).toBe(3);
    const prefs = await store.notifications.getPreferences(['ada', 'bob', 'cyd', 'dan']);
    expect(Object.fromEntries([...prefs].map(([user, p]) => [user, p.mutedJobs]))).toEqual({ ada: [recent.id, 'not-a-job'], bob: [], cyd: [recent.id], dan: [] });
    for (const p of prefs.values()) expect(p.timeZone).toBe('Europe/Paris');
  });

  it('cursors keep growing after events are purged', async () => {
    await seed(ctx.store(), [makeJob({ status: 'completed', finishedAt: 1 })]);
    const before = await ctx.store().jobs.latestCursor();
    await ctx.store().jobs.purgeFinished(10, 100);
    expect(await ctx.store().jobs.latestCursor()).toBe(before);
    const [fresh] = await ctx.store().jobs.insert([makeJob()], 2_000);
    expect(fresh!.cursor).toBeGreaterThan(before);
  });
}
