import { expect, it } from 'vitest';
import type { JobRecord } from '../../../src/model/job-record.js';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

const HOUR = 3_600_000;
/** Midnight in Paris on 2025-03-30, a day of 23 hours (the clock skips 02:00-03:00). */
const SHORT_DAY = Date.UTC(2025, 2, 29, 23);

function finished(finishedAt: number, status: 'completed' | 'failed' | 'cancelled', extra: Partial<JobRecord> = {}): JobRecord {
  return makeJob({ status, createdAt: finishedAt - 10, startedAt: finishedAt - 5, finishedAt, updatedAt: finishedAt, done: 10, unit: 'rows', ...extra });
}

export function analyticsTests(ctx: StoreContext): void {
  it('throughput counts each job in the bucket from its start to the next start, within [from, to), whatever the bucket lengths', async () => {
    // Local days of uneven length, as a time zone gives them: 23 h, then 24 h, then the rest.
    const starts = [SHORT_DAY - 24 * HOUR, SHORT_DAY, SHORT_DAY + 23 * HOUR, SHORT_DAY + 47 * HOUR];
    const from = SHORT_DAY - HOUR;
    const to = SHORT_DAY + 50 * HOUR;
    await seed(ctx.store(), [
      finished(from - 1, 'completed'), // before the range, though inside the first bucket
      finished(from, 'completed'),
      finished(SHORT_DAY - 1, 'failed'),
      finished(SHORT_DAY, 'completed'),
      finished(SHORT_DAY + 23 * HOUR - 1, 'cancelled'), // the last millisecond of the 23-hour day
      finished(SHORT_DAY + 47 * HOUR, 'completed', { done: 7 }),
      finished(to - 1, 'failed'),
      finished(to, 'completed'), // `to` is excluded
      makeJob({ status: 'running', startedAt: SHORT_DAY }),
    ]);
    expect(await ctx.store().analytics.throughput({ from, to, bucketStarts: starts })).toEqual([
      { start: starts[0], completed: 1, failed: 1, cancelled: 0, units: 10 },
      { start: starts[1], completed: 1, failed: 0, cancelled: 1, units: 10 },
      // starts[2] holds no job: only non-empty buckets come back.
      { start: starts[3], completed: 1, failed: 1, cancelled: 0, units: 7 },
    ]);
  });

  it('throughput narrows to a type and an owner', async () => {
    await seed(ctx.store(), [
      finished(SHORT_DAY + HOUR, 'completed', { type: 'import', owner: 'ann' }),
      finished(SHORT_DAY + HOUR, 'completed', { type: 'import', owner: 'bob' }),
      finished(SHORT_DAY + 2 * HOUR, 'completed', { type: 'video', owner: 'ann' }),
    ]);
    const range = { from: SHORT_DAY, to: SHORT_DAY + 23 * HOUR, bucketStarts: [SHORT_DAY, SHORT_DAY + 2 * HOUR] };
    const counts = async (filter: { type?: string; owner?: string }) =>
      (await ctx.store().analytics.throughput({ ...range, ...filter })).map((row) => [row.start, row.completed]);
    expect(await counts({})).toEqual([
      [SHORT_DAY, 2],
      [SHORT_DAY + 2 * HOUR, 1],
    ]);
    expect(await counts({ type: 'import', owner: 'ann' })).toEqual([[SHORT_DAY, 1]]);
    expect(await counts({ owner: 'ann' })).toEqual([
      [SHORT_DAY, 1],
      [SHORT_DAY + 2 * HOUR, 1],
    ]);
  });
}
