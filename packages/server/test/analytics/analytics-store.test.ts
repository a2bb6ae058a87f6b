import type { JobStep } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/model/job-record.js';
import { stepAnalytics, throughputAnalytics, typeAnalytics } from '../../src/service/analytics.js';
import { makeJob } from '../store/fixtures.js';
import { testStorePerTest } from '../support/store-per-test.js';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);
// The analytics SQL differs per dialect, so this runs on whichever store HEADWAY_TEST_STORE names.
const store = testStorePerTest('analytics');

/** A finished job that worked `workMs` (plus `pausedMs` paused) and finished at `finishedAt`. */
function finished(type: string, status: 'completed' | 'failed' | 'cancelled', finishedAt: number, workMs: number, extra: Partial<JobRecord> = {}): JobRecord {
  const pausedMs = extra.pausedMs ?? 0;
  const startedAt = finishedAt - workMs - pausedMs;
  return makeJob({ type, status, createdAt: startedAt - 10, startedAt, finishedAt, updatedAt: finishedAt, pausedMs, ...extra });
}

function steps(startedAt: number, durations: Array<[string, number]>): JobStep[] {
  let at = startedAt;
  return durations.map(([name, ms]) => {
    const step: JobStep = { name, weight: 1, status: 'done', startedAt: at, endedAt: at + ms };
    at += ms;
    return step;
  });
}

describe('analytics per job type', () => {
  it('counts outcomes, success rate and nearest-rank p50/p95 of work time (paused time excluded)', async () => {
    const durations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((s) => s * 1000);
    const jobs = durations.map((ms, i) => finished('import', 'completed', T0 + i * 1000, ms, { done: 100, unit: 'rows', pausedMs: i === 0 ? 60_000 : 0 }));
    jobs.push(finished('import', 'failed', T0 + 50_000, 999_000), finished('import', 'cancelled', T0 + 51_000, 5_000));
    jobs.push(finished('render', 'failed', T0 + 52_000, 1_000));
    await store().jobs.insert(jobs, T0);

    const answer = await typeAnalytics(store().analytics, { from: T0 - HOUR, to: T0 + HOUR });
    const imports = answer.types.find((t) => t.type === 'import');
    expect(imports).toMatchObject({ finished: 22, completed: 20, failed: 1, cancelled: 1, p50DurationMs: 10_000, p95DurationMs: 19_000, unit: 'rows' });
    expect(imports?.successRate).toBeCloseTo(20 / 21);
    // 2,000 rows over 210 s of work.
    expect(imports?.unitsPerSec).toBeCloseTo(2000 / 210);
    expect(answer.types.find((t) => t.type === 'render')).toMatchObject({ completed: 0, failed: 1, successRate: 0, p50DurationMs: null, unitsPerSec: null });
  });

  it('reads only jobs finished inside [from, to) and of the given owner, and counts active jobs now', async () => {
    await store().jobs.insert(
      [
        finished('import', 'completed', T0, 1000, { owner: 'ana' }),
        finished('import', 'completed', T0 + HOUR, 1000, { owner: 'ana' }),
        finished('import', 'completed', T0 + 10, 1000, { owner: 'bob' }),
        makeJob({ type: 'import', status: 'running', owner: 'ana', startedAt: T0 }),
        makeJob({ type: 'import', status: 'queued', owner: 'bob' }),
        makeJob({ type: 'export', status: 'paused', owner: 'ana', startedAt: T0 }),
      ],
      T0,
    );
    const ana = await typeAnalytics(store().analytics, { from: T0, to: T0 + HOUR, owner: 'ana' });
    expect(ana.types).toEqual([
      expect.objectContaining({ type: 'export', finished: 0, paused: 1, running: 0, queued: 0 }),
      expect.objectContaining({ type: 'import', finished: 1, running: 1, queued: 0 }),
    ]);
    const everyone = await typeAnalytics(store().analytics, { from: T0, to: T0 + HOUR });
    expect(everyone.types.find((t) => t.type === 'import')).toMatchObject({ finished: 2, running: 1, queued: 1 });
  });
});

describe('throughput over time', () => {
  it('buckets finished jobs by aligned bucket, fills empty buckets and sums units of completed jobs', async () => {
    await store().jobs.insert(
      [
        finished('import', 'completed', T0 + 5, 100, { done: 10, unit: 'rows' }),
        finished('import', 'completed', T0 + 20 * 60_000, 100, { done: 30, unit: 'rows' }),
        finished('import', 'failed', T0 + 20 * 60_000, 100, { done: 7, unit: 'rows' }),
        finished('import', 'completed', T0 + 2 * HOUR + 1, 100, { done: 5, unit: 'rows' }),
        finished('export', 'completed', T0 + 10, 100, { done: 1, unit: 'files' }),
      ],
      T0,
    );
    const answer = await throughputAnalytics(store().analytics, { from: T0 + 60_000, to: T0 + 3 * HOUR, type: 'import', bucketMs: HOUR });
    expect(answer.unit).toBe('rows');
    // from is inside the first hour: the bucket starts at T0 but counts only jobs finished from `from` on.
    expect(answer.buckets).toEqual([
      { start: T0, completed: 1, failed: 1, cancelled: 0, units: 30 },
      { start: T0 + HOUR, completed: 0, failed: 0, cancelled: 0, units: 0 },
      { start: T0 + 2 * HOUR, completed: 1, failed: 0, cancelled: 0, units: 5 },
    ]);
    const allTypes = await throughputAnalytics(store().analytics, { from: T0, to: T0 + HOUR, bucketMs: HOUR });
    expect(allTypes.unit).toBeNull();
    expect(allTypes.buckets).toEqual([{ start: T0, completed: 3, failed: 1, cancelled: 0, units: 41 }]);
  });

  it('refuses a range that would need more than 2,000 buckets, saying how to fix it', async () => {
    await expect(throughputAnalytics(store().analytics, { from: 0, to: 10 * 86_400_000, bucketMs: 60_000 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('pick a larger bucket'),
    });
  });
});

describe('throughput in a time zone', () => {
  const MINUTE = 60_000;
  const DAY = 24 * HOUR;
  /** Paris midnights: 2025-03-29 (24 h), 2025-03-30 (23 h: 02:00 → 03:00), 2025-03-31, and 2025-10-26 (25 h: 03:00 → 02:00). */
  const MAR_29 = Date.UTC(2025, 2, 28, 23);
  const MAR_30 = Date.UTC(2025, 2, 29, 23);
  const MAR_31 = Date.UTC(2025, 2, 30, 22);
  const OCT_26 = Date.UTC(2025, 9, 25, 22);

  it('counts a job on the local day it finished: one millisecond before Paris midnight is the day before', async () => {
    await store().jobs.insert(
      [
        finished('import', 'completed', MAR_29 + 22 * HOUR + 30 * MINUTE, 100), // 22:30 local, 21:30 UTC
        finished('import', 'completed', MAR_30 - 1, 100), // 23:59:59.999 local, 22:59 UTC
        finished('import', 'failed', MAR_30, 100), // 00:00 local, still the 29th in UTC
      ],
      MAR_29,
    );
    const paris = await throughputAnalytics(store().analytics, { from: MAR_29, to: MAR_31, bucketMs: DAY, timeZone: 'Europe/Paris' });
    expect(paris.timeZone).toBe('Europe/Paris');
    expect(paris.buckets.map((b) => [b.start, b.completed, b.failed])).toEqual([
      [MAR_29, 2, 0],
      [MAR_30, 0, 1],
    ]);
    // UTC days, the default, put all three on the 29th.
    const utc = await throughputAnalytics(store().analytics, { from: MAR_29, to: MAR_31, bucketMs: DAY });
    expect(utc.timeZone).toBe('UTC');
    expect(utc.buckets.map((b) => [b.start, b.completed, b.failed])).toEqual([
      [Date.UTC(2025, 2, 28), 0, 0],
      [Date.UTC(2025, 2, 29), 2, 1],
      [Date.UTC(2025, 2, 30), 0, 0],
    ]);
  });

  it('makes the last Sunday of March in Paris a 23-hour day, hour buckets included', async () => {
    await store().jobs.insert(
      [
        finished('import', 'completed', MAR_30 + HOUR + 30 * MINUTE, 100), // 01:30 +01:00
        finished('import', 'completed', MAR_30 + 2 * HOUR + 30 * MINUTE, 100), // 03:30 +02:00, the clock skipped 02:00-03:00
        finished('import', 'completed', MAR_31 - 30 * MINUTE, 100), // 23:30 +02:00: still the 30th
        finished('import', 'completed', MAR_31 + 15 * MINUTE, 100), // 00:15 +02:00 on the 31st (23:15 on the 30th at the winter offset)
      ],
      MAR_29,
    );
    const days = await throughputAnalytics(store().analytics, { from: MAR_29, to: MAR_31 + DAY, bucketMs: DAY, timeZone: 'Europe/Paris' });
    expect(days.buckets.map((b) => [b.start, b.completed])).toEqual([
      [MAR_29, 0],
      [MAR_30, 3],
      [MAR_31, 1],
    ]);
    expect(MAR_31 - MAR_30).toBe(23 * HOUR);

    const hours = await throughputAnalytics(store().analytics, { from: MAR_30, to: MAR_31, bucketMs: HOUR, timeZone: 'Europe/Paris' });
    expect(hours.buckets).toHaveLength(23);
    // 00:00, 01:00 (+01:00), then 03:00 (+02:00) an hour later.
    expect(hours.buckets.slice(0, 4).map((b) => [b.start, b.completed])).toEqual([
      [MAR_30, 0],
      [MAR_30 + HOUR, 1],
      [MAR_30 + 2 * HOUR, 1],
      [MAR_30 + 3 * HOUR, 0],
    ]);
    expect(hours.buckets.at(-1)).toMatchObject({ start: MAR_31 - HOUR, completed: 1 });
  });

  it('makes the last Sunday of October in Paris a 25-hour day, its repeated hour two buckets', async () => {
    await store().jobs.insert(
      [
        finished('import', 'completed', OCT_26 + 2 * HOUR + 10 * MINUTE, 100), // 02:10 +02:00
        finished('import', 'failed', OCT_26 + 3 * HOUR + 10 * MINUTE, 100), // 02:10 +01:00, the clock went back
        finished('import', 'completed', OCT_26 + 25 * HOUR - 1, 100), // 23:59:59.999 +01:00
      ],
      OCT_26,
    );
    const day = await throughputAnalytics(store().analytics, { from: OCT_26, to: OCT_26 + 25 * HOUR, bucketMs: DAY, timeZone: 'Europe/Paris' });
    expect(day.buckets).toEqual([{ start: OCT_26, completed: 2, failed: 1, cancelled: 0, units: 0 }]);
    const hours = await throughputAnalytics(store().analytics, { from: OCT_26, to: OCT_26 + 25 * HOUR, bucketMs: HOUR, timeZone: 'Europe/Paris' });
    expect(hours.buckets).toHaveLength(25);
    expect(hours.buckets.slice(2, 4).map((b) => [b.start, b.completed, b.failed])).toEqual([
      [OCT_26 + 2 * HOUR, 1, 0],
      [OCT_26 + 3 * HOUR, 0, 1],
    ]);
  });
});

describe('step durations and the bottleneck', () => {
  it('computes step durations from step timestamps, in declared order, and names the step taking most time', async () => {
    const jobs = [1, 2, 3].map((n) => {
      const job = finished('video', 'completed', T0 + n * 100_000, 60_000);
      return { ...job, steps: steps(job.startedAt!, [['fetch', 1000 * n], ['encode', 40_000 + 1000 * n], ['upload', 5_000]]) };
    });
    // A step that never ended (the job failed in it) has no duration.
    const failed = finished('video', 'failed', T0 + 500_000, 10_000);
    failed.steps = [...steps(failed.startedAt!, [['fetch', 2_000]]), { name: 'encode', weight: 1, status: 'failed', startedAt: failed.startedAt! + 2_000, endedAt: null }];
    await store().jobs.insert([...jobs, failed, finished('other', 'completed', T0 + 1, 1, { steps: steps(T0, [['encode', 999_999]]) })], T0);

    const answer = await stepAnalytics(store().analytics, { type: 'video', from: T0, to: T0 + HOUR });
    expect(answer.steps.map((s) => s.name)).toEqual(['fetch', 'encode', 'upload']);
    expect(answer.steps[0]).toMatchObject({ runs: 4, totalMs: 8_000, meanMs: 2_000, p50Ms: 2_000, p95Ms: 3_000 });
    expect(answer.steps[1]).toMatchObject({ runs: 3, totalMs: 126_000, p50Ms: 42_000, p95Ms: 43_000 });
    expect(answer.steps[1]?.share).toBeCloseTo(126_000 / 149_000);
    expect(answer.bottleneck).toBe('encode');
  });

  it('answers no steps and no bottleneck for a type without step data', async () => {
    await store().jobs.insert([finished('plain', 'completed', T0, 1000)], T0);
    expect(await stepAnalytics(store().analytics, { type: 'plain', from: T0 - 1, to: T0 + 1 })).toMatchObject({ steps: [], bottleneck: null });
  });
});
