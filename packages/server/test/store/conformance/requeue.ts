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

  /** Asks the running job to pause or cancel, as the service does: only the intent changes. */
  async function ask(job: JobRecord, intent: 'pause' | 'cancel', now = 11_000): Promise<void> {
    const result = await ctx.store().jobs.commit({ id: job.id, expectedSeq: job.seq, patch: { control: intent, updatedAt: now }, events: [{ kind: 'control', intent }] }, now);
    if (!result.ok) throw new Error(`test setup: asking ${job.id} to ${intent} lost a race`);
  }

  it('by node: its running jobs go back to queued with "node restarted", keeping checkpoint and control', async () => {
    await seed(ctx.store(), Array.from({ length: 5 }, (_, i) => makeJob({ createdAt: i })));
    const [a1, a2, b1] = await claimAll([
      { nodeId: 'node-a', leaseExpiresAt: 60_000, count: 2 },
      { nodeId: 'node-b', leaseExpiresAt: 60_000, count: 1 },
    ]);
    await ctx.store().jobs.saveProgress([{ id: a1!.id, checkpoint: { row: 40_000 }, percent: 40 }]);

    const requeued = await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 12_000 });
    expect(ids(requeued.map((r) => r.job))).toEqual([a1!.id, a2!.id]);
    for (const { job, events } of requeued) {
      expect(job).toEqual(await ctx.store().jobs.get(job.id));
      expect(job).toMatchObject({ status: 'queued', control: 'run', leaseOwner: null, leaseExpiresAt: null, updatedAt: 12_000, activeAt: 12_000, seq: 3, finishedAt: null, pausedAt: null });
      expect(events).toEqual([{ kind: 'transition', from: 'running', to: 'queued', reason: 'node restarted', jobId: job.id, seq: job.seq, at: 12_000, cursor: expect.any(Number) }]);
    }
    expect(requeued[0]!.job).toMatchObject({ checkpoint: { row: 40_000 }, percent: 40 });
    expect(await ctx.store().jobs.get(b1!.id)).toMatchObject({ status: 'running', leaseOwner: 'node-b' });
    expect(await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 13_000 })).toEqual([]);
  });

  it('a cancel pending when the worker stopped ends cancelled, not queued to run again', async () => {
    await seed(ctx.store(), [makeJob({ createdAt: 0 })]);
    const [job] = await claimAll([{ nodeId: 'node-a', leaseExpiresAt: 60_000, count: 1 }]);
    await ctx.store().jobs.saveProgress([{ id: job!.id, percent: 30, eta: { remainingMs: 7_000, low: 5_000, high: 9_000, confidence: 0.5, method: 'ewma', at: 10_500 } }]);
    await ask(job!, 'cancel');

    const [requeued, ...others] = await ctx.store().jobs.requeue({ nodeId: 'node-a', now: 12_000 });
    expect(others).toEqual([]);
    expect(requeued!.job).toEqual(await ctx.store().jobs.get(job!.id));
    expect(requeued!.job).toMatchObject({ status: 'cancelled', control: 'cancel', finishedAt: 12_000, eta: null, percent: 30, leaseOwner: null, leaseExpiresAt: null, updatedAt: 12_000, activeAt: 12_000, seq: 4 });
    const transition = { kind: 'transition', from: 'running', to: 'cancelled', reason: 'node restarted before the worker acknowledged the cancel', jobId: job!.id, seq: 4, at: 12_000 };
    expect(requeued!.events).toEqual([{ ...transition, cursor: expect.any(Number) }]);
    // Stored in the same transaction: the log says what the job record says.
    expect(await ctx.store().jobs.events(job!.id, 3, 10)).toEqual(requeued!.events);
    // Nothing left to claim: the job does not run again.
    expect(await ctx.store().jobs.claim({ type: 'import', nodeId: 'node-b', leaseExpiresAt: 90_000, now: 13_000 })).toBeNull();
  });

  it('a pause pending when the lease expired ends paused (since then), keeping its checkpoint', async () => {
    await seed(ctx.store(), [makeJob({ createdAt: 0 })]);
    const [job] = await claimAll([{ nodeId: 'node-a', leaseExpiresAt: 20_000, count: 1 }]);
    await ctx.store().jobs.saveProgress([{ id: job!.id, checkpoint: { row: 12 }, percent: 12 }]);
    await ask(job!, 'pause');

    const [requeued, ...others] = await ctx.store().jobs.requeue({ leaseExpiredBefore: 30_000, now: 30_000 });
    expect(others).toEqual([]);
    expect(requeued!.job).toEqual(await ctx.store().jobs.get(job!.id));
    expect(requeued!.job).toMatchObject({ status: 'paused', control: 'pause', pausedAt: 30_000, pausedMs: 0, finishedAt: null, checkpoint: { row: 12 }, leaseOwner: null, leaseExpiresAt: null, updatedAt: 30_000, activeAt: 30_000, seq: 4 });
    expect(requeued!.events).toEqual([
      { kind: 'transition', from: 'running', to: 'paused', reason: 'lease expired before the worker acknowledged the pause', jobId: job!.id, seq: 4, at: 30_000, cursor: expect.any(Number) },
    ]);
    expect(await ctx.store().jobs.events(job!.id, 3, 10)).toEqual(requeued!.events);
    expect(await ctx.store().jobs.claim({ type: 'import', nodeId: 'node-b', leaseExpiresAt: 90_000, now: 31_000 })).toBeNull();
  });

  it('one call with run, pause and cancel pending: each job where its owner asked, seq and events in step, other jobs untouched', async () => {
    const parent = makeJob({ type: 'batch', createdAt: 0 });
    await seed(ctx.store(), [parent, ...Array.from({ length: 6 }, (_, i) => makeJob({ parentId: parent.id, createdAt: 1 + i }))]);
    const [toRun, toPause, toCancel, expiredCancel, liveCancel, livePause] = await claimAll([
      { nodeId: 'node-a', leaseExpiresAt: 60_000, count: 3 },
      { nodeId: 'node-b', leaseExpiresAt: 20_000, count: 1 },
      { nodeId: 'node-b', leaseExpiresAt: 90_000, count: 2 },
    ]);
    for (const job of [toPause!, livePause!]) await ask(job, 'pause');
    for (const job of [toCancel!, expiredCancel!, liveCancel!]) await ask(job, 'cancel');
    const untouched = await ctx.store().jobs.getMany([parent.id, liveCancel!.id, livePause!.id]);

    const requeued = await ctx.store().jobs.requeue({ nodeId: 'node-a', leaseExpiredBefore: 30_000, now: 30_000 });
    expect(requeued.map(({ job, events }) => [job.id, job.status, job.control, job.seq, events.map((e) => [e.seq, e.kind === 'transition' && e.to, e.kind === 'transition' && e.reason])])).toEqual([
      [toRun!.id, 'queued', 'run', 3, [[3, 'queued', 'node restarted']]],
      [toPause!.id, 'paused', 'pause', 4, [[4, 'paused', 'node restarted before the worker acknowledged the pause']]],
      [toCancel!.id, 'cancelled', 'cancel', 4, [[4, 'cancelled', 'node restarted before the worker acknowledged the cancel']]],
      [expiredCancel!.id, 'cancelled', 'cancel', 4, [[4, 'cancelled', 'lease expired before the worker acknowledged the cancel']]],
    ]);
    for (const { job, events } of requeued) {
      expect(job).toEqual(await ctx.store().jobs.get(job.id));
      expect(await ctx.store().jobs.events(job.id, job.seq - 1, 10)).toEqual(events);
    }
    expect(await ctx.store().jobs.getMany([parent.id, liveCancel!.id, livePause!.id])).toEqual(untouched);
    // The parent's roll-up reads the new outcomes.
    expect((await ctx.store().jobs.childSummary(parent.id)).counts).toEqual({ total: 6, pending: 1, running: 2, paused: 1, completed: 0, failed: 0, cancelled: 2 });
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
