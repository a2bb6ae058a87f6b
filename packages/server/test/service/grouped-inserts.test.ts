import { HeadwayError } from '@headway/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { SYSTEM } from '../../src/service/actor.js';
import { GroupedInserts, type Inserted } from '../../src/service/jobs/grouped-inserts.js';
import { buildJobTree } from '../../src/service/jobs/new-job.js';
import { testNodePerTest, type TestNode } from '../support/node.js';

const startNode = testNodePerTest();

afterEach(async () => {
  vi.restoreAllMocks();
});

/** Holds the store's next insert until released, so the requests behind it queue up. */
function holdFirstInsert(jobs: TestNode['headway']['store']['jobs']): { release: () => void; calls: () => number } {
  const insert = jobs.insert.bind(jobs);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  vi.spyOn(jobs, 'insert').mockImplementation(async (...args) => {
    if (calls++ === 0) await gate;
    return insert(...args);
  });
  return { release, calls: () => calls };
}

describe('new jobs are written in groups', () => {
  it('creations arriving during a write share the next one, and each answer is its own job with its own created event', async () => {
    const node = await startNode();
    const { jobs, store, bus } = node.headway;
    const published: BusMessage[] = [];
    bus.subscribe((message) => void published.push(message));
    const held = holdFirstInsert(store.jobs);
    const queued = vi.spyOn(GroupedInserts.prototype, 'insert');

    const creations = Array.from({ length: 20 }, (_, i) => jobs.create({ type: 'grouped', title: `job ${i}`, steps: [{ name: 'only' }] }, SYSTEM));
    await vi.waitFor(() => expect(queued).toHaveBeenCalledTimes(20)); // the other 19 wait behind the first write
    held.release();
    const created = await Promise.all(creations);

    expect(held.calls()).toBe(2); // the first alone, the 19 that waited together
    expect(created.map((job) => job.title)).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}`));
    expect(new Set(created.map((job) => job.id)).size).toBe(20);
    for (const job of created) {
      expect(job).toMatchObject({ status: 'queued', seq: 1, steps: [{ name: 'only', status: 'pending' }] });
      expect((await jobs.events(job.id, 0, 10, SYSTEM)).map((event) => [event.kind, event.seq])).toEqual([['created', 1]]);
      expect(published.filter((m) => m.type === 'event' && m.job.id === job.id)).toHaveLength(1);
    }
  });

  it('resends of keyed creates in a group are answered their earlier jobs, and the new ones are still written together', async () => {
    const node = await startNode();
    const { jobs, store } = node.headway;
    const body = (n: number) => ({ type: 'grouped.keyed', title: `order ${n}` });
    const earlier = await Promise.all([0, 1, 2].map((n) => jobs.createOnce(body(n), SYSTEM, `order-${n}`)));
    const held = holdFirstInsert(store.jobs);
    const queued = vi.spyOn(GroupedInserts.prototype, 'insert');

    const first = jobs.createOnce(body(9), SYSTEM, 'order-9');
    await vi.waitFor(() => expect(queued).toHaveBeenCalledTimes(1));
    const mixed = [0, 3, 1, 4, 2, 5].map((n) => jobs.createOnce(body(n), SYSTEM, `order-${n}`));
    await vi.waitFor(() => expect(queued).toHaveBeenCalledTimes(7));
    held.release();
    const answers = await Promise.all([first, ...mixed]);

    // The first alone; the group of six, refused for the taken keys; orders 3, 4 and 5 together.
    expect(held.calls()).toBe(3);
    expect(answers.map((a) => a.replayed)).toEqual([false, true, false, true, false, true, false]);
    expect(answers.map((a) => a.job.title)).toEqual(['order 9', 'order 0', 'order 3', 'order 1', 'order 4', 'order 2', 'order 5']);
    expect([answers[1], answers[3], answers[5]].map((a) => a!.job.id)).toEqual(earlier.map((a) => a.job.id));
    expect((await jobs.list({ type: 'grouped.keyed', limit: 100 }, SYSTEM)).items).toHaveLength(7);
  });

  it('when the keys of a group refused for a taken key cannot be read, each request of the group gets that error and nothing is written', async () => {
    const node = await startNode();
    const { jobs, store } = node.headway;
    await jobs.createOnce({ type: 'grouped.unread', title: 'order 0' }, SYSTEM, 'order-0');
    const held = holdFirstInsert(store.jobs);
    const queued = vi.spyOn(GroupedInserts.prototype, 'insert');
    const away = new Error('the store went away');
    vi.spyOn(store.jobs, 'findIdempotencyKeys').mockRejectedValue(away);

    const first = jobs.create({ type: 'grouped.unread', title: 'unkeyed' }, SYSTEM);
    await vi.waitFor(() => expect(queued).toHaveBeenCalledTimes(1));
    const group = [0, 1].map((n) => jobs.createOnce({ type: 'grouped.unread', title: `order ${n}` }, SYSTEM, `order-${n}`));
    await vi.waitFor(() => expect(queued).toHaveBeenCalledTimes(3));
    held.release();

    await expect(first).resolves.toMatchObject({ title: 'unkeyed' });
    for (const request of group) await expect(request).rejects.toBe(away);
    expect((await jobs.list({ type: 'grouped.unread', limit: 10 }, SYSTEM)).items.map((job) => job.title).sort()).toEqual(['order 0', 'unkeyed']);
  });

  it('a tree the store refuses fails alone: the others in its group are written', async () => {
    const node = await startNode();
    const { store } = node.headway;
    const held = holdFirstInsert(store.jobs);
    const inserts = new GroupedInserts(store.jobs);
    const now = Date.now();
    const tree = (title: string, parentId?: string) => buildJobTree({ type: 'grouped', title, ...(parentId ? { parentId } : {}) }, null, now);

    const requests = [tree('first'), tree('good'), tree('orphan', 'no-such-parent'), tree('also good')].map((jobs) => inserts.insert(jobs, now));
    held.release();
    const [first, good, orphan, alsoGood] = await Promise.allSettled(requests);

    // Each request gets its own events and its own records, read back from the store.
    const created = (outcome: PromiseSettledResult<Inserted> | undefined) =>
      outcome?.status === 'fulfilled' ? { events: outcome.value.events.map((event) => event.kind), titles: outcome.value.stored.map((job) => [job.title, job.seq]) } : outcome;
    expect(created(first)).toEqual({ events: ['created'], titles: [['first', 1]] });
    expect(created(good)).toEqual({ events: ['created'], titles: [['good', 1]] });
    expect(created(alsoGood)).toEqual({ events: ['created'], titles: [['also good', 1]] });
    expect(orphan?.status).toBe('rejected');
    const refusal = (orphan as PromiseRejectedResult).reason as unknown;
    expect(refusal instanceof HeadwayError && refusal.code === 'JOB_NOT_FOUND' && /no-such-parent/.test(refusal.message)).toBe(true);
    const titles = (await store.jobs.list({ limit: 10 })).items.map((job) => job.title).sort();
    expect(titles).toEqual(['also good', 'first', 'good']);
  });

  it('a store that is down fails every request of the group with its error', async () => {
    const node = await startNode();
    const { store } = node.headway;
    const insert = store.jobs.insert.bind(store.jobs);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    vi.spyOn(store.jobs, 'insert').mockImplementation(async (records, now) => {
      if (calls++ === 0) {
        await gate;
        return insert(records, now);
      }
      throw new Error('connection terminated');
    });
    const inserts = new GroupedInserts(store.jobs);
    const now = Date.now();
    const requests = [0, 1, 2, 3].map(() => inserts.insert(buildJobTree({ type: 'grouped' }, null, now), now));
    release();
    const [first, ...rest] = await Promise.allSettled(requests);
    expect(first?.status === 'fulfilled' && first.value.events).toHaveLength(1);
    for (const outcome of rest) expect(outcome.status === 'rejected' && String(outcome.reason)).toContain('connection terminated');
    expect(calls).toBe(2);
  });

  it('when the records cannot be read back, every request of the group is told (the jobs were written)', async () => {
    const node = await startNode();
    const { store } = node.headway;
    const held = holdFirstInsert(store.jobs);
    const getMany = store.jobs.getMany.bind(store.jobs);
    let reads = 0;
    vi.spyOn(store.jobs, 'getMany').mockImplementation(async (ids) => {
      if (reads++ === 1) throw new Error('connection reset while reading');
      return getMany(ids);
    });
    const inserts = new GroupedInserts(store.jobs);
    const now = Date.now();
    const requests = ['alone', 'a', 'b'].map((title) => inserts.insert(buildJobTree({ type: 'grouped', title }, null, now), now));
    held.release();
    const [alone, ...grouped] = await Promise.allSettled(requests);
    expect(alone?.status).toBe('fulfilled');
    for (const outcome of grouped) expect(outcome.status === 'rejected' && String(outcome.reason)).toContain('connection reset while reading');
    expect((await store.jobs.list({ limit: 10 })).items.map((job) => job.title).sort()).toEqual(['a', 'alone', 'b']);
  });
});
