import { expect, it } from 'vitest';
import type { ProgressPatch } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

export function progressTests(ctx: StoreContext): void {
  it('writes a batch of patches for many jobs and never touches status, control or seq', async () => {
    const jobs = await seed(ctx.store(), Array.from({ length: 50 }, () => makeJob({ status: 'running', total: 1_000, unit: 'rows' })));
    const patches: ProgressPatch[] = jobs.map((job, i) => ({
      id: job.id,
      percent: i,
      done: i * 10,
      total: 1_000,
      unit: 'rows',
      currentStep: 'load',
      message: `row ${i * 10}`,
      eta: { remainingMs: 1_000 * i, low: 500 * i, high: 2_000 * i, confidence: 0.5, method: 'ewma', at: 9_000 },
      metrics: { ratePerSec: i / 2, errors: 0, custom: { bytes: i } },
      counts: null,
      steps: [{ name: 'load', weight: 1, status: 'running', startedAt: 1_000, endedAt: null }],
      checkpoint: { row: i * 10 },
      updatedAt: 9_000,
    }));
    await ctx.store().jobs.saveProgress(patches);
    const stored = await ctx.store().jobs.getMany(jobs.map((job) => job.id));
    for (const [i, job] of stored.entries()) {
      const { id: _id, ...fields } = patches[i]!;
      expect(job).toEqual({ ...jobs[i], ...fields });
      expect(job).toMatchObject({ status: 'running', control: 'run', seq: 1 });
    }
    expect(await ctx.store().jobs.eventsSince(0, 1_000)).toHaveLength(50);
  });

  it('a partial patch leaves other fields alone, and a patch for a deleted job is skipped', async () => {
    const [job] = await seed(ctx.store(), [makeJob({ message: 'kept', checkpoint: { row: 5 }, percent: 10 })]);
    await ctx.store().jobs.saveProgress([
      { id: job!.id, percent: 20, updatedAt: 3_000 },
      { id: 'deleted-meanwhile', percent: 50 },
    ]);
    expect(await ctx.store().jobs.get(job!.id)).toEqual({ ...job, percent: 20, updatedAt: 3_000 });
    await ctx.store().jobs.saveProgress([]);
  });

  it('the newest patch of a job in a batch wins', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    await ctx.store().jobs.saveProgress([
      { id: job!.id, done: 1, percent: 1 },
      { id: job!.id, done: 2, percent: 2 },
    ]);
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ done: 2, percent: 2 });
  });

  it('a patch taken at a seq is written only while the job is still at that seq, and says which were not', async () => {
    const [current, moved] = await seed(ctx.store(), [makeJob({ status: 'running' }), makeJob({ status: 'running' })]);
    const committed = await ctx.store().jobs.commit({ id: moved!.id, expectedSeq: moved!.seq, patch: { control: 'pause' }, events: [{ kind: 'control', intent: 'pause' }] }, 5_000);
    expect(committed.ok).toBe(true);
    const { stale } = await ctx.store().jobs.saveProgress([
      { id: current!.id, seq: current!.seq, done: 7, updatedAt: 6_000 },
      { id: moved!.id, seq: moved!.seq, done: 9, updatedAt: 6_000 },
      { id: 'deleted-meanwhile', seq: 1, done: 1 },
    ]);
    expect(stale.sort()).toEqual([moved!.id, 'deleted-meanwhile'].sort());
    expect(await ctx.store().jobs.get(current!.id)).toMatchObject({ done: 7, updatedAt: 6_000 });
    expect((await ctx.store().jobs.get(moved!.id))?.done).toBe(moved!.done);
    expect((await ctx.store().jobs.saveProgress([{ id: moved!.id, seq: moved!.seq + 1, done: 9 }])).stale).toEqual([]);
    expect((await ctx.store().jobs.get(moved!.id))?.done).toBe(9);
  });

  it('a patch holding an older report than the row holds leaves its progress as it is, yet counts as written; a checkpoint and a patch with no report are written', async () => {
    const [job] = await seed(ctx.store(), [makeJob({ status: 'running', total: 100 })]);
    // Two nodes answered reports of one job; the newer one's node flushes first.
    expect((await ctx.store().jobs.saveProgress([{ id: job!.id, seq: job!.seq, done: 20, percent: 20, message: 'row 20', updatedAt: 6_000 }])).stale).toEqual([]);
    const older: ProgressPatch = { id: job!.id, seq: job!.seq, done: 10, percent: 10, message: 'row 10', checkpoint: { row: 10 }, updatedAt: 5_000 };
    expect((await ctx.store().jobs.saveProgress([older])).stale).toEqual([]);
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ done: 20, percent: 20, message: 'row 20', updatedAt: 6_000, checkpoint: { row: 10 } });
    // A refreshed ETA holds no report: written whatever the row holds.
    const eta = { remainingMs: 8_000, low: 6_000, high: 9_000, confidence: 0.5, method: 'ewma' as const, at: 5_500 };
    expect((await ctx.store().jobs.saveProgress([{ id: job!.id, seq: job!.seq, eta }])).stale).toEqual([]);
    expect((await ctx.store().jobs.get(job!.id))?.eta).toEqual(eta);
    // A newer report, or one of the same moment, is written.
    await ctx.store().jobs.saveProgress([{ id: job!.id, seq: job!.seq, done: 30, percent: 30, updatedAt: 6_000 }]);
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ done: 30, percent: 30, message: 'row 20' });
  });
}
