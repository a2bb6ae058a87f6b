import { expect, it } from 'vitest';
import type { RunningJobFacts } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

export function runningFactsTests(ctx: StoreContext): void {
  it('runningFacts pages through running jobs only, oldest first, ties by id, with just the alert fields', async () => {
    const running = (createdAt: number, id: string) =>
      makeJob({
        ...{ id, status: 'running', createdAt, startedAt: createdAt + 1, updatedAt: createdAt + 2, pausedMs: 3, attempt: 2, percent: 40 },
        ...{ title: `job ${id}`, owner: 'ada', message: 'copying', metadata: { source: 'a.csv' }, checkpoint: { offset: 7 } },
      });
    await seed(ctx.store(), [
      running(2_000, 'job-c'),
      running(1_000, 'job-b'),
      running(2_000, 'job-a'),
      makeJob({ id: 'job-q', status: 'queued', createdAt: 500 }),
      makeJob({ id: 'job-p', status: 'paused', createdAt: 1_500 }),
      makeJob({ id: 'job-d', status: 'completed', createdAt: 3_000 }),
      running(4_000, 'job-e'),
    ]);
    const pages: RunningJobFacts[][] = [];
    let after: RunningJobFacts | null = null;
    for (;;) {
      const page = await ctx.store().jobs.runningFacts(after, 2);
      pages.push(page);
      if (page.length < 2) break;
      after = page[page.length - 1]!;
    }
    expect(pages.map((page) => page.map((job) => job.id))).toEqual([['job-b', 'job-a'], ['job-c', 'job-e'], []]);
    expect(pages[0]![0]).toEqual({ id: 'job-b', type: 'import', title: 'job job-b', owner: 'ada', attempt: 2, percent: 40, message: 'copying', createdAt: 1_000, startedAt: 1_001, pausedMs: 3, updatedAt: 1_002 });
  });
}
