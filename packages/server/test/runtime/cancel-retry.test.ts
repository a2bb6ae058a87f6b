import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually, testNodePerTest } from '../support/node.js';

const startNode = testNodePerTest();


describe('runtime cancel and retry', () => {
  it('cancel aborts the signal, lets the handler clean up, and ends cancelled', async () => {
    let cleanedUp = false;
    let started = false;
    const node = await startNode({
      register: (h) =>
        h.runtime.register('wait', async (ctx) => {
          started = true;
          try {
            await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
          } finally {
            cleanedUp = true;
          }
        }),
    });
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'wait' }, SYSTEM);
    await eventually(() => started);
    const requested = await jobs.act(job.id, 'cancel', {}, SYSTEM);
    expect(requested.control).toBe('cancel');
    const cancelled = await eventually(async () => {
      const j = await jobs.get(job.id, SYSTEM);
      return j.status === 'cancelled' ? j : null;
    });
    expect(cleanedUp).toBe(true);
    expect(cancelled.finishedAt).not.toBeNull();
  });

  it('a failing handler is retried with exponential backoff up to maxAttempts, each error recorded', async () => {
    const attemptsAt: number[] = [];
    const node = await startNode({
      register: (h) =>
        h.runtime.register('flaky', async (ctx) => {
          attemptsAt.push(Date.now());
          throw Object.assign(new Error(`upstream refused attempt ${ctx.job.attempt}`), { code: 'UPSTREAM_DOWN' });
        }),
    });
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'flaky', maxAttempts: 3 }, SYSTEM);
    const failed = await eventually(async () => {
      const j = await jobs.get(job.id, SYSTEM);
      return j.status === 'failed' ? j : null;
    }, 20_000, 'job to fail for good');
    expect(attemptsAt).toHaveLength(3);
    expect(failed.attempt).toBe(3);
    expect(failed.error).toMatchObject({ message: 'upstream refused attempt 3', code: 'UPSTREAM_DOWN', attempt: 3 });
    // Backoff grows: the second wait is longer than the first (1 s then 2 s, with up to 50% jitter).
    const firstGap = attemptsAt[1]! - attemptsAt[0]!;
    const secondGap = attemptsAt[2]! - attemptsAt[1]!;
    expect(firstGap).toBeGreaterThanOrEqual(450);
    expect(secondGap).toBeGreaterThanOrEqual(950);
    const errors = (await jobs.events(job.id, 0, 100, SYSTEM)).filter((e) => e.kind === 'error');
    expect(errors.map((e) => (e.kind === 'error' ? e.attempt : 0))).toEqual([1, 2, 3]);
  });

  it('a failed job can be retried by hand and then succeeds', async () => {
    let calls = 0;
    const node = await startNode({
      register: (h) =>
        h.runtime.register('once-broken', async () => {
          calls++;
          if (calls === 1) throw new Error('disk full');
          return { ok: true };
        }),
    });
    const { jobs } = node.headway;
    const job = await jobs.create({ type: 'once-broken', maxAttempts: 1 }, SYSTEM);
    await eventually(async () => (await jobs.get(job.id, SYSTEM)).status === 'failed');
    await expect(jobs.act(job.id, 'retry', {}, SYSTEM)).resolves.toMatchObject({ status: 'queued' });
    const done = await eventually(async () => {
      const j = await jobs.get(job.id, SYSTEM);
      return j.status === 'completed' ? j : null;
    });
    expect(done.result).toEqual({ ok: true });
    await expect(jobs.act(job.id, 'retry', {}, SYSTEM)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('a job whose lease expired on a dead node is reclaimed and finished here', async () => {
    let ran = 0;
    const node = await startNode({ config: { leaseMs: 1_000 } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'orphan' }, SYSTEM);
    const now = Date.now();
    const claimed = await store.jobs.claim({ type: 'orphan', nodeId: 'dead-node', leaseExpiresAt: now + 300, now });
    expect(claimed?.job.id).toBe(job.id);
    node.headway.runtime.register('orphan', async () => {
      ran++;
    });
    await eventually(async () => (await jobs.get(job.id, SYSTEM)).status === 'completed', 10_000, 'orphan reclaimed and completed');
    expect(ran).toBe(1);
    const reasons = (await jobs.events(job.id, 0, 100, SYSTEM)).filter((e) => e.kind === 'transition').map((e) => (e.kind === 'transition' ? `${e.to}` : ''));
    expect(reasons).toEqual(['running', 'queued', 'running', 'completed']);
  });
});
