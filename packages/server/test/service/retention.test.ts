import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetentionSweeper } from '../../src/service/retention.js';
import { makeJob, seed } from '../store/fixtures.js';
import { testNodePerTest } from '../support/node.js';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const startNode = testNodePerTest();

afterEach(async () => {
  vi.restoreAllMocks();
});

/** `count` top-level jobs that finished `daysAgo` days before NOW. */
function finishedJobs(count: number, daysAgo: number) {
  return Array.from({ length: count }, (_, i) => makeJob({ status: 'completed', createdAt: NOW - daysAgo * DAY_MS - 1_000, finishedAt: NOW - daysAgo * DAY_MS + i }));
}

describe('retention', () => {
  it('a backlog of expired jobs goes in chunks, letting other work run between them; jobs inside the window stay', async () => {
    const node = await startNode();
    const { store } = node.headway;
    const expired = finishedJobs(1_200, 40);
    const kept = finishedJobs(30, 29);
    for (let i = 0; i < expired.length; i += 400) await seed(store, expired.slice(i, i + 400));
    await seed(store, kept);
    const purges = vi.spyOn(store.jobs, 'purgeFinished');
    const sweeper = new RetentionSweeper(store, pino({ level: 'silent' }), () => NOW, 30);

    const order: string[] = [];
    const sweep = sweeper.sweep().then((purged) => (order.push('sweep done'), purged));
    setImmediate(() => order.push('other work'));
    expect(await sweep).toBe(1_200);

    expect(order).toEqual(['other work', 'sweep done']);
    expect(purges.mock.calls.map(([, limit]) => limit)).toEqual(Array(7).fill(200)); // six chunks of 200, then none left
    expect(await store.jobs.get(expired[0]!.id)).toBeNull();
    expect(await store.jobs.get(expired.at(-1)!.id)).toBeNull();
    expect((await store.jobs.list({ limit: 100 })).items).toHaveLength(30);
  });

  it('a node that stops mid-sweep stops after the chunk under way', async () => {
    const node = await startNode();
    const { store } = node.headway;
    await seed(store, finishedJobs(1_200, 40));
    const sweeper = new RetentionSweeper(store, pino({ level: 'silent' }), () => NOW, 30);
    const purge = store.jobs.purgeFinished.bind(store.jobs);
    vi.spyOn(store.jobs, 'purgeFinished').mockImplementation(async (before, limit) => {
      const deleted = await purge(before, limit);
      sweeper.stop();
      return deleted;
    });
    expect(await sweeper.sweep()).toBe(200);
    expect((await store.jobs.list({ limit: 1_000 })).items).toHaveLength(1_000);
  });
});
