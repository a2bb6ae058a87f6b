import { describe, expect, it } from 'vitest';
import { LocalBus } from '../../src/bus/local-bus.js';
import { SYSTEM } from '../../src/service/actor.js';
import { openStore } from '../../src/store/open.js';
import type { JobsService } from '../../src/service/jobs/jobs-service.js';
import { eventually, testNodePerTest } from '../support/node.js';

const startNode = testNodePerTest();

/**
 * The flusher writes only the progress fields that changed since its last write of a job. These
 * check that nothing is left unwritten by that: each field reaches the store, whatever changed
 * around it.
 */
describe('progress flush writes what changed', () => {
  it('a field that did not change keeps its stored value; the ones that did are written', async () => {
    const node = await startNode({ config: { flushIntervalMs: 20 } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'flush.fields', total: 1_000, steps: [{ name: 'read' }, { name: 'write' }] }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.report(job.id, { step: 'read', done: 10, message: 'reading' }, SYSTEM);
    await eventually(async () => (await store.jobs.get(job.id))?.done === 10, 5_000, 'first write');
    await jobs.report(job.id, { done: 20 }, SYSTEM);
    const second = await eventually(async () => {
      const stored = await store.jobs.get(job.id);
      return stored?.done === 20 ? stored : null;
    }, 5_000, 'second write');
    expect(second).toMatchObject({ message: 'reading', currentStep: 'read', percent: (await jobs.get(job.id, SYSTEM)).percent });
    await jobs.report(job.id, { done: 30, message: 'still reading', metrics: { rowsPerFile: 7 } }, SYSTEM);
    const third = await eventually(async () => {
      const stored = await store.jobs.get(job.id);
      return stored?.message === 'still reading' ? stored : null;
    }, 5_000, 'third write');
    expect(third.done).toBe(30);
    expect(third.metrics.custom).toEqual({ rowsPerFile: 7 });
  });

  it('a durable change in between (pause, resume) does not hide the next report from the store', async () => {
    const node = await startNode({ config: { flushIntervalMs: 20 } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'flush.durable', total: 100 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.report(job.id, { done: 5, message: 'm1' }, SYSTEM);
    await eventually(async () => (await store.jobs.get(job.id))?.message === 'm1', 5_000, 'm1 stored');
    await jobs.act(job.id, 'pause', {}, SYSTEM); // running → pause requested (the worker acknowledges below)
    await jobs.act(job.id, 'pause', {}, SYSTEM);
    await jobs.act(job.id, 'resume', {}, SYSTEM);
    await jobs.report(job.id, { done: 6, message: 'm1' }, SYSTEM);
    await eventually(async () => (await store.jobs.get(job.id))?.done === 6, 5_000, 'done 6 stored');
    expect((await store.jobs.get(job.id))?.message).toBe('m1');
  });

  it('a handler saving the same checkpoint object again after changing it is written both times', async () => {
    const node = await startNode({ config: { flushIntervalMs: 20 } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'flush.checkpoint' }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    const state = { row: 100 };
    const saveCheckpoint = (jobs as JobsService).saveCheckpoint.bind(jobs); // what a runtime handler's ctx.checkpoint calls
    saveCheckpoint(job.id, state);
    await eventually(async () => ((await store.jobs.get(job.id))?.checkpoint as typeof state | null)?.row === 100, 5_000, 'first checkpoint');
    state.row = 200;
    saveCheckpoint(job.id, state);
    await eventually(async () => ((await store.jobs.get(job.id))?.checkpoint as typeof state | null)?.row === 200, 5_000, 'the changed checkpoint');
  });

  it('an ETA refreshed between reports (a read recomputes it) reaches the store with the next write', async () => {
    let clock = 1_000_000;
    const node = await startNode({ config: { flushIntervalMs: 20 }, headway: { now: () => clock } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'flush.eta', total: 10_000 }, SYSTEM); // no milestone: every report stays in the cache
    await jobs.act(job.id, 'start', {}, SYSTEM);
    for (const done of [100, 200]) {
      clock += 1_000;
      await jobs.report(job.id, { done }, SYSTEM);
    }
    await eventually(async () => (await store.jobs.get(job.id))?.done === 200, 5_000, 'done 200 stored'); // later writes hold only what changed
    clock += 1_000;
    const read = await jobs.get(job.id, SYSTEM); // recomputes the ETA: no report has moved it since
    expect(read.eta?.remainingMs).toBeGreaterThan(0);
    await jobs.report(job.id, { done: 300 }, SYSTEM);
    const stored = await eventually(async () => {
      const row = await store.jobs.get(job.id);
      return row?.done === 300 ? row : null;
    }, 5_000, 'done 300 stored');
    expect(stored.eta).toEqual(read.eta);
    expect(stored.metrics.ratePerSec).toBe(read.metrics.ratePerSec);
  });

  it('a write that fails is retried with every field it held, even ones no later report changes', async () => {
    const node = await startNode({ config: { flushIntervalMs: 20 } });
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'flush.retry', total: 100 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.report(job.id, { done: 5 }, SYSTEM);
    await eventually(async () => (await store.jobs.get(job.id))?.done === 5, 5_000, 'done 5 stored'); // later writes hold only what changed
    const saveProgress = store.jobs.saveProgress.bind(store.jobs);
    let failures = 0;
    store.jobs.saveProgress = async (patches) => {
      if (failures < 2) {
        failures++;
        throw new Error('disk full (simulated)');
      }
      return saveProgress(patches);
    };
    await jobs.report(job.id, { done: 6, message: 'copying', unit: 'files' }, SYSTEM);
    await eventually(async () => failures >= 2, 5_000, 'two failed writes');
    await jobs.report(job.id, { done: 7 }, SYSTEM); // changes neither message nor unit
    const stored = await eventually(async () => {
      const row = await store.jobs.get(job.id);
      return row?.done === 7 ? row : null;
    }, 5_000, 'done 7 stored');
    expect(stored).toMatchObject({ message: 'copying', unit: 'files' });
  });

  it("a parent's roll-up of its children's progress reaches the store at each step", async () => {
    const node = await startNode({ config: { flushIntervalMs: 20 } });
    const { jobs, store } = node.headway;
    const batch = await jobs.create({ type: 'flush.batch', children: [{ type: 'file', weight: 3 }, { type: 'file', weight: 1 }] }, SYSTEM);
    const [heavy] = (await jobs.list({ parentId: batch.id, sort: 'createdAt', limit: 10 }, SYSTEM)).items;
    await jobs.act(heavy!.id, 'start', {}, SYSTEM);
    for (const percent of [20, 40, 60]) {
      await jobs.report(heavy!.id, { percent }, SYSTEM);
      await eventually(async () => (await store.jobs.get(batch.id))?.percent === (percent * 3) / 4, 5_000, `parent at ${(percent * 3) / 4}% stored`);
    }
  });
});

/**
 * Several nodes share one store, and a job acted on through one node may be reported through
 * another. Each node writes and serves only what changed through it; another node's writes are
 * simulated here by writing to the store directly, as its flush does.
 */
describe('progress reported through another node sharing the store', () => {
  it("a transition's flush does not write the job's older progress over what another node wrote since", async () => {
    const node = await startNode({ config: { flushIntervalMs: 60_000 } }); // writes at stop only
    const { jobs, store } = node.headway;
    const job = await jobs.create({ type: 'shared.transition', total: 1_000 }, SYSTEM);
    const started = await jobs.act(job.id, 'start', {}, SYSTEM); // this node caches the job, to write its ETA
    const reportedElsewhere = { id: job.id, seq: started.seq, done: 500, percent: 50, message: 'row 500', updatedAt: Date.now() };
    expect((await store.jobs.saveProgress([reportedElsewhere])).stale).toEqual([]);
    await node.stop(); // the final flush
    const reopened = await openStore(node.dbPath);
    const stored = await reopened.jobs.get(job.id);
    await reopened.close();
    expect(stored).toMatchObject({ status: 'running', done: 500, percent: 50, message: 'row 500' });
  });

  it('a job whose ETA was refreshed after its last write is read from the store, with what another node wrote since', async () => {
    const bus = new LocalBus((error) => {
      throw error;
    });
    const node = await startNode({ config: { flushIntervalMs: 20, announceIntervalMs: 1_000 }, headway: { bus } });
    const { jobs, store } = node.headway;
    const announced: number[] = [];
    bus.subscribe((message) => {
      if (message.type === 'progress') announced.push(message.update.job.done);
    });
    const job = await jobs.create({ type: 'shared.eta', total: 1_000 }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await eventually(() => announced.length === 1, 5_000, 'the start announced');
    await jobs.report(job.id, { done: 10 }, SYSTEM); // announced a second later (the interval), written at once
    await eventually(async () => (await store.jobs.get(job.id))?.done === 10, 5_000, 'done 10 stored');
    // The held announcement refreshes the ETA after the write, leaving nothing but it unwritten.
    await eventually(() => announced.length === 2, 5_000, 'the report announced');
    const { seq } = (await store.jobs.get(job.id))!;
    expect((await store.jobs.saveProgress([{ id: job.id, seq, done: 500, percent: 50, updatedAt: Date.now() }])).stale).toEqual([]);
    expect((await jobs.get(job.id, SYSTEM)).done).toBe(500);
    expect((await jobs.list({ type: 'shared.eta', limit: 10 }, SYSTEM)).items[0]).toMatchObject({ done: 500 });
  });
});
