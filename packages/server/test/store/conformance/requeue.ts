import { expect, it } from 'vitest';
import type { JobRecord } from '../../../src/model/job-record.js';
import type { StoreContext } from '../conformance.js';
import { finish, ids, makeJob, seed } from '../fixtures.js';

export function requeueTests(ctx: StoreContext): void {
  /** Claims every queued job, `perNode` at a time per node, with the given lease ends. */
  async function claimAll(nodes: Array<{ nodeId: string; leaseExpiresAt: number; count: number }>): Promise<JobRecord[]> {
    const claimed: JobRecord[] = [];
    for (const node of nodes) {
      for (let i = 0; i < node.count; i++) claimed.push((await ctx.store().jobs.claim({ type: 'import', nodeId: node.nodeId, leaseExpiresAt: node.leaseExpiresAt, now: 10_000 }))!.job);
    }
    return claimed;
  }

  it('by node: its running jobs go back to queued with "node restarted", keeping checkpoint and control', async () => {
    await seed(ctx.store(), Array.from({ length: 5 }, (_, i) => makeJob({ createdAt: i })));
    const [a1, a2, b1] = await claimAll([
      { nodeId: 'node-a', leaseExpiresAt: 60_000, count: 2 },
      { nodeId: 'node-b', leaseExpiresAt: 60_000, count: 1 },
    ]);
    await ctx.store().jobs.saveProgress([{ id: a1!.id, checkpoint: { row: 40_000 }, percent: 40 }]);
    await ctx.store().jobs.commit({ id: a2!.id, expectedSeq: 2, patch: { control: 'pause' }, events: [{ kind: 'control', intent: 'pause' }] }, 11_000);

    const requeued = await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 12_000 });
    expect(ids(requeued.map((r) => r.job))).toEqual([a1!.id, a2!.id]);
    for (const { job, events } of requeued) {
      expect(job).toEqual(await ctx.store().jobs.get(job.id));
      expect(job).toMatchObject({ status: 'queued', leaseOwner: null, leaseExpiresAt: null, updatedAt: 12_000 });
      expect(events).toEqual([{ kind: 'transition', from: 'running', to: 'queued', reason: 'node restarted', jobId: job.id, seq: job.seq, at: 12_000, cursor: expect.any(Number) }]);
    }
    expect(requeued[0]!.job).toMatchObject({ checkpoint: { row: 40_000 }, percent: 40, seq: 3 });
    expect(requeued[1]!.job).toMatchObject({ control: 'pause', seq: 4 });
    expect(await ctx.store().jobs.get(b1!.id)).toMatchObject({ status: 'running', leaseOwner: 'node-b' });
    expect(await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 13_000 })).toEqual([]);
  });

  it('by expiry: reclaims expired leases of any node with "lease expired", leaving live leases and reported jobs', async () => {
    const [reported] = await seed(ctx.store(), [makeJob({ type: 'reported', status: 'running', createdAt: 0 })]);
    await seed(ctx.store(), Array.from({ length: 4 }, (_, i) => makeJob({ createdAt: 1 + i })));
    const [expiredA, expiredB, live] = await claimAll([
      { nodeId: 'node-a', leaseExpiresAt: 20_000, count: 1 },
      { nodeId: 'node-b', leaseExpiresAt: 20_000, count: 1 },
      { nodeId: 'node-c', leaseExpiresAt: 40_000, count: 1 },
    ]);
    const requeued = await ctx.store().jobs.requeue({ leaseExpiredBefore: 30_000, now: 30_000 });
    expect(ids(requeued.map((r) => r.job))).toEqual([expiredA!.id, expiredB!.id]);
    expect(requeued.map((r) => r.events[0])).toMatchObject([
      { kind: 'transition', from: 'running', to: 'queued', reason: 'lease expired' },
      { kind: 'transition', from: 'running', to: 'queued', reason: 'lease expired' },
    ]);
    expect(await ctx.store().jobs.get(live!.id)).toMatchObject({ status: 'running', leaseOwner: 'node-c' });
    expect(await ctx.store().jobs.get(reported!.id)).toMatchObject({ status: 'running', seq: 1 });
  });

  it('by node and expiry at once: each job once, with the reason that applies', async () => {
    await seed(ctx.store(), Array.from({ length: 3 }, (_, i) => makeJob({ createdAt: i })));
    const [mine, expired, live] = await claimAll([
      { nodeId: 'node-a', leaseExpiresAt: 20_000, count: 1 },
      { nodeId: 'node-b', leaseExpiresAt: 20_000, count: 1 },
      { nodeId: 'node-b', leaseExpiresAt: 90_000, count: 1 },
    ]);
    const requeued = await ctx.store().jobs.requeue({ nodeId: 'node-a', leaseExpiredBefore: 30_000, now: 30_000 });
    expect(requeued.map((r) => [r.job.id, r.events[0]])).toMatchObject([
      [mine!.id, { reason: 'node restarted' }],
      [expired!.id, { reason: 'lease expired' }],
    ]);
    expect(await ctx.store().jobs.get(live!.id)).toMatchObject({ status: 'running' });
  });

  it('leaves paused and finished jobs alone, and requeues thousands in one call', async () => {
    const count = 2_000;
    await seed(ctx.store(), Array.from({ length: count }, (_, i) => makeJob({ createdAt: i })));
    const claimed = await claimAll([{ nodeId: 'node-a', leaseExpiresAt: 60_000, count }]);
    await finish(ctx.store(), claimed[0]!, { status: 'paused', leaseOwner: 'node-a' });
    await finish(ctx.store(), claimed[1]!, { status: 'completed', finishedAt: 11_000 });
    const requeued = await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 12_000 });
    expect(requeued).toHaveLength(count - 2);
    expect((await ctx.store().jobs.list({ statuses: ['queued'], limit: 1 })).nextCursor).not.toBeNull();
    expect((await ctx.store().jobs.list({ statuses: ['running'], limit: 1 })).items).toEqual([]);
    expect(await ctx.store().jobs.get(claimed[0]!.id)).toMatchObject({ status: 'paused' });
    expect(await ctx.store().jobs.get(claimed[1]!.id)).toMatchObject({ status: 'completed' });
  });
}
