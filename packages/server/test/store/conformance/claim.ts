import { expect, it } from 'vitest';
import type { StoreContext } from '../conformance.js';
import { finish, makeJob, seed } from '../fixtures.js';

const LEASE = { nodeId: 'node-a', leaseExpiresAt: 60_000, now: 10_000 };

export function claimTests(ctx: StoreContext): void {
  it('claims the oldest queued job of the type: running, leased, started, with a claimed transition', async () => {
    const [, oldest, newer] = await seed(ctx.store(), [
      makeJob({ type: 'video', createdAt: 500 }),
      makeJob({ type: 'import', createdAt: 1_000, control: 'pause' }),
      makeJob({ type: 'import', createdAt: 2_000 }),
    ]);
    const claimed = await ctx.store().jobs.claim({ type: 'import', ...LEASE });
    expect(claimed?.job).toEqual({
      ...oldest,
      status: 'running',
      control: 'run',
      leaseOwner: 'node-a',
      leaseExpiresAt: 60_000,
      startedAt: 10_000,
      updatedAt: 10_000,
      activeAt: 10_000,
      seq: 2,
    });
    expect(claimed?.events).toEqual([
      { kind: 'transition', from: 'queued', to: 'running', reason: 'claimed', jobId: oldest!.id, seq: 2, at: 10_000, cursor: expect.any(Number) },
    ]);
    expect(await ctx.store().jobs.get(oldest!.id)).toEqual(claimed!.job);
    expect((await ctx.store().jobs.claim({ type: 'import', ...LEASE }))?.job.id).toBe(newer!.id);
    expect(await ctx.store().jobs.claim({ type: 'import', ...LEASE })).toBeNull();
  });

  it('skips jobs whose runAfter is still ahead, other types and jobs not queued', async () => {
    const [later] = await seed(ctx.store(), [
      makeJob({ runAfter: 20_000, createdAt: 1 }),
      makeJob({ type: 'other', createdAt: 2 }),
      makeJob({ status: 'paused', createdAt: 3 }),
      makeJob({ status: 'failed', createdAt: 4 }),
    ]);
    expect(await ctx.store().jobs.claim({ type: 'import', ...LEASE, now: 19_999 })).toBeNull();
    expect((await ctx.store().jobs.claim({ type: 'import', ...LEASE, now: 20_000 }))?.job.id).toBe(later!.id);
  });

  it('keeps the first startedAt of a job that ran before (a retry or a resume)', async () => {
    const [job] = await seed(ctx.store(), [makeJob({ startedAt: 4_000, attempt: 2 })]);
    expect((await ctx.store().jobs.claim({ type: 'import', ...LEASE }))?.job).toMatchObject({ id: job!.id, startedAt: 4_000, attempt: 2 });
  });

  it('never hands one job to two callers, however many claim at once from two stores', async () => {
    const jobs = await seed(ctx.store(), Array.from({ length: 40 }, (_, i) => makeJob({ createdAt: 1_000 + i })));
    const other = await ctx.openSame();
    const attempts = Array.from({ length: 60 }, (_, i) =>
      (i % 2 === 0 ? ctx.store() : other).jobs.claim({ type: 'import', nodeId: `node-${i % 3}`, leaseExpiresAt: 60_000, now: 10_000 }),
    );
    const claimed = (await Promise.all(attempts)).flatMap((c) => (c ? [c] : []));
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed.map((c) => c.job.id)).size).toBe(40);
    for (const c of claimed) expect(c.events.map((e) => e.seq)).toEqual([2]);
    const stored = await ctx.store().jobs.list({ statuses: ['running'], limit: 100 });
    expect(stored.items).toHaveLength(jobs.length);
    for (const c of claimed) expect(stored.items.find((j) => j.id === c.job.id)?.leaseOwner).toBe(c.job.leaseOwner);
  });

  it('renewLeases extends and returns only the leases the node still holds', async () => {
    await seed(ctx.store(), Array.from({ length: 4 }, (_, i) => makeJob({ createdAt: i })));
    const mine = (await ctx.store().jobs.claim({ type: 'import', ...LEASE }))!.job;
    const finished = (await ctx.store().jobs.claim({ type: 'import', ...LEASE }))!.job;
    const theirs = (await ctx.store().jobs.claim({ type: 'import', ...LEASE, nodeId: 'node-b' }))!.job;
    const requeued = (await ctx.store().jobs.claim({ type: 'import', ...LEASE }))!.job;
    await finish(ctx.store(), finished, { status: 'completed', finishedAt: 11_000, leaseOwner: null, leaseExpiresAt: null });
    await finish(ctx.store(), requeued, { status: 'queued', leaseOwner: null, leaseExpiresAt: null });
    const held = await ctx.store().jobs.renewLeases('node-a', [mine.id, finished.id, theirs.id, requeued.id, 'missing'], 90_000);
    expect(held).toEqual([mine.id]);
    expect(await ctx.store().jobs.get(mine.id)).toMatchObject({ leaseExpiresAt: 90_000, seq: 2 });
    expect(await ctx.store().jobs.get(theirs.id)).toMatchObject({ leaseExpiresAt: 60_000, leaseOwner: 'node-b' });
    expect(await ctx.store().jobs.renewLeases('node-a', [], 90_000)).toEqual([]);
  });

  it('claimMany claims up to the limit, oldest first, each with its own claimed transition in claim order', async () => {
    const jobs = await seed(ctx.store(), [
      ...Array.from({ length: 5 }, (_, i) => makeJob({ createdAt: 1_000 + i })),
      makeJob({ createdAt: 10, runAfter: 20_000 }),
      makeJob({ type: 'video', createdAt: 20 }),
    ]);
    const first = await ctx.store().jobs.claimMany({ type: 'import', ...LEASE }, 3);
    expect(first.map((c) => c.job.id)).toEqual(jobs.slice(0, 3).map((j) => j!.id));
    for (const c of first) {
      expect(c.job).toMatchObject({ status: 'running', leaseOwner: 'node-a', leaseExpiresAt: 60_000, seq: 2 });
      expect(c.events).toEqual([{ kind: 'transition', from: 'queued', to: 'running', reason: 'claimed', jobId: c.job.id, seq: 2, at: 10_000, cursor: expect.any(Number) }]);
      expect(await ctx.store().jobs.get(c.job.id)).toEqual(c.job);
    }
    const cursors = first.map((c) => c.events[0]!.cursor!);
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    // Two left that may run now; the delayed one and the other type stay queued.
    expect((await ctx.store().jobs.claimMany({ type: 'import', ...LEASE }, 10)).map((c) => c.job.id)).toEqual(jobs.slice(3, 5).map((j) => j!.id));
    expect(await ctx.store().jobs.claimMany({ type: 'import', ...LEASE }, 10)).toEqual([]);
  });

  it('claimMany from two stores at once never hands one job to both', async () => {
    await seed(ctx.store(), Array.from({ length: 300 }, (_, i) => makeJob({ createdAt: 1_000 + i })));
    const other = await ctx.openSame();
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? ctx.store() : other).jobs.claimMany({ type: 'import', ...LEASE, nodeId: `node-${i}` }, 40)),
    );
    const ids = batches.flat().map((c) => c.job.id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    for (const [i, batch] of batches.entries()) for (const c of batch) expect((await ctx.store().jobs.get(c.job.id))?.leaseOwner).toBe(`node-${i}`);
  });
}
