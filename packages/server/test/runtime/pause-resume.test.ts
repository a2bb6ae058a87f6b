import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually, testNodePerTest } from '../support/node.js';

const ITEMS = 60;
const startNode = testNodePerTest();


/** A handler that processes items one by one, checkpointing after each, and records what it did. */
function countingHandler(processed: Map<string, number[]>, delayMs = 5) {
  return async (ctx: import('../../src/runtime/runtime.js').JobContext<{ next: number }>) => {
    const seen = processed.get(ctx.job.id) ?? [];
    processed.set(ctx.job.id, seen);
    for (let item = ctx.saved?.next ?? 0; item < ITEMS; item++) {
      await new Promise((r) => setTimeout(r, delayMs));
      seen.push(item);
      ctx.progress(item + 1, ITEMS);
      await ctx.checkpoint({ next: item + 1 });
    }
    return { items: seen.length };
  };
}

describe('runtime pause and resume', () => {
  it('pause at a checkpoint releases the slot and resume continues from the saved state', async () => {
    const processed = new Map<string, number[]>();
    const node = await startNode({ register: (h) => h.runtime.register('count', countingHandler(processed), { concurrency: 1 }) });
    const { jobs, runtime } = node.headway;
    const first = await jobs.create({ type: 'count', title: 'first' }, SYSTEM);
    const second = await jobs.create({ type: 'count', title: 'second' }, SYSTEM);

    await eventually(() => (processed.get(first.id)?.length ?? 0) >= 10, 10_000, 'first job to make progress');
    await jobs.act(first.id, 'pause', {}, SYSTEM);
    const paused = await eventually(async () => {
      const job = await jobs.get(first.id, SYSTEM);
      return job.status === 'paused' ? job : null;
    });
    const doneAtPause = processed.get(first.id)!.length;
    expect(paused.checkpoint).toEqual({ next: doneAtPause });

    // The slot is free: the second job runs to the end while the first stays paused.
    await eventually(async () => (await jobs.get(second.id, SYSTEM)).status === 'completed', 15_000, 'second job to complete');
    expect((await jobs.get(first.id, SYSTEM)).status).toBe('paused');
    expect(runtime.running()['count']).toBe(0);

    await jobs.act(first.id, 'resume', {}, SYSTEM);
    const done = await eventually(async () => {
      const job = await jobs.get(first.id, SYSTEM);
      return job.status === 'completed' ? job : null;
    }, 15_000, 'first job to complete');

    // Every item exactly once: the resumed run started where the checkpoint said.
    expect(processed.get(first.id)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
    expect(done.percent).toBe(100);
    const transitions = (await jobs.events(first.id, 0, 100, SYSTEM)).filter((e) => e.kind === 'transition').map((e) => (e.kind === 'transition' ? e.to : ''));
    expect(transitions).toEqual(['running', 'paused', 'queued', 'running', 'completed']);
  });

  it('pausing a queued job pauses it at once and it never starts until resumed', async () => {
    const processed = new Map<string, number[]>();
    const node = await startNode();
    const { jobs, runtime } = node.headway;
    const job = await jobs.create({ type: 'count' }, SYSTEM);
    const paused = await jobs.act(job.id, 'pause', {}, SYSTEM);
    expect(paused.status).toBe('paused');
    runtime.register('count', countingHandler(processed, 1), { concurrency: 1 });
    const other = await jobs.create({ type: 'count' }, SYSTEM);
    await eventually(async () => (await jobs.get(other.id, SYSTEM)).status === 'completed');
    expect(processed.has(job.id)).toBe(false);
    await jobs.act(job.id, 'resume', {}, SYSTEM);
    await eventually(async () => (await jobs.get(job.id, SYSTEM)).status === 'completed');
    expect(processed.get(job.id)).toHaveLength(ITEMS);
  });

  it('pausing a batch parent pauses its unfinished children, resuming resumes them', async () => {
    const processed = new Map<string, number[]>();
    const node = await startNode({ register: (h) => h.runtime.register('count', countingHandler(processed, 10), { concurrency: 2 }) });
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'batch', children: Array.from({ length: 4 }, () => ({ type: 'count' })) }, SYSTEM);
    const children = (await jobs.list({ parentId: batch.id, limit: 10 }, SYSTEM)).items;
    expect(children).toHaveLength(4);
    await eventually(() => [...processed.values()].some((items) => items.length > 3));
    await jobs.act(batch.id, 'pause', {}, SYSTEM);
    await eventually(async () => {
      const states = await Promise.all(children.map((c) => jobs.get(c.id, SYSTEM)));
      return states.every((c) => c.status === 'paused');
    }, 10_000, 'every child paused');
    await eventually(async () => (await jobs.get(batch.id, SYSTEM)).status === 'paused', 10_000, 'parent paused by roll-up');
    await jobs.act(batch.id, 'resume', {}, SYSTEM);
    const finished = await eventually(async () => {
      const parent = await jobs.get(batch.id, SYSTEM);
      return parent.status === 'completed' ? parent : null;
    }, 20_000, 'batch completed');
    expect(finished.counts).toMatchObject({ total: 4, completed: 4, failed: 0 });
    expect(finished.percent).toBe(100);
    for (const child of children) expect(processed.get(child.id)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
  });
});
