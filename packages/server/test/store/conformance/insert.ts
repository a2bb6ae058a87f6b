import { expect, it } from 'vitest';
import { IdempotencyKeyTaken } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';
import { ids, makeJob, seed } from '../fixtures.js';

export function insertTests(ctx: StoreContext): void {
  it('inserts a job tree with one created event each, and get returns each job as stored', async () => {
    const parent = makeJob({ title: 'Upload 2 files', counts: { total: 2, pending: 2, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 } });
    const children = [makeJob({ parentId: parent.id, weight: 2 }), makeJob({ parentId: parent.id })];
    const events = await ctx.store().jobs.insert([parent, ...children], 1_234);
    expect(events).toHaveLength(3);
    for (const [i, job] of [parent, ...children].entries()) {
      expect(events[i]).toMatchObject({ kind: 'created', jobId: job.id, seq: 1, at: 1_234 });
      expect(await ctx.store().jobs.get(job.id)).toEqual({ ...job, seq: 1 });
    }
    expect(events[0]!.cursor).toBeGreaterThan(0);
    expect(events[1]!.cursor).toBeGreaterThan(events[0]!.cursor!);
  });

  it('keeps every structured field exactly as given', async () => {
    const job = makeJob({
      title: 'Assemble video «final»',
      owner: 'user-1',
      tags: ['video', 'urgent'],
      metadata: { source: 's3://bucket/key', nested: { n: 1, list: [1, 'two', null] } },
      status: 'failed',
      control: 'cancel',
      percent: 42.5,
      done: 17.25,
      total: 40,
      unit: 'MB',
      steps: [
        { name: 'decode', weight: 2, status: 'done', startedAt: 1_000, endedAt: 2_000 },
        { name: 'encode', weight: 1, status: 'failed', startedAt: 2_000, endedAt: null },
      ],
      currentStep: 'encode',
      message: 'encoding',
      eta: { remainingMs: 5_000, low: 4_000, high: 9_000, confidence: 0.7, method: 'adaptive', at: 2_500 },
      metrics: { ratePerSec: 3.5, errors: 2, custom: { bytes: 1024 } },
      counts: { total: 3, pending: 1, running: 1, paused: 0, completed: 1, failed: 0, cancelled: 0 },
      weight: 0.5,
      checkpoint: { row: 40_000, files: ['a', 'b'] },
      result: [1, 2, 3],
      error: { message: 'ffmpeg exited with 1', code: 'E_FFMPEG', attempt: 2, at: 3_000 },
      attempt: 2,
      maxAttempts: 5,
      runAfter: 9_000,
      startedAt: 1_000,
      finishedAt: 3_000,
      updatedAt: 3_000,
      pausedMs: 250,
      milestones: [25],
    });
    await seed(ctx.store(), [job]);
    expect(await ctx.store().jobs.get(job.id)).toEqual({ ...job, seq: 1 });
  });

  it('getMany returns the jobs that exist, in the order asked', async () => {
    const [a, , c] = await seed(ctx.store(), [makeJob(), makeJob(), makeJob()]);
    const found = await ctx.store().jobs.getMany([c!.id, 'missing', a!.id]);
    expect(ids(found)).toEqual([c!.id, a!.id]);
    expect(await ctx.store().jobs.getMany([])).toEqual([]);
    expect(await ctx.store().jobs.get('missing')).toBeNull();
  });

  it('a duplicate id rejects the whole tree with CONFLICT and stores none of it', async () => {
    const [existing] = await seed(ctx.store(), [makeJob()]);
    const fresh = makeJob();
    await expect(ctx.store().jobs.insert([fresh, makeJob({ id: existing!.id })], 2_000)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await ctx.store().jobs.get(fresh.id)).toBeNull();
    expect(await ctx.store().jobs.events(fresh.id, 0, 10)).toEqual([]);
  });

  it('a child whose parent does not exist is rejected with JOB_NOT_FOUND', async () => {
    await expect(ctx.store().jobs.insert([makeJob({ parentId: 'no-such-parent' })], 2_000)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('a second store on the same database sees the data, also after the first is closed', async () => {
    const [job] = await seed(ctx.store(), [makeJob({ tags: ['kept'] })]);
    await ctx.store().close();
    const reopened = await ctx.openSame();
    await reopened.migrate();
    expect(await reopened.jobs.get(job!.id)).toEqual(job);
    expect(await reopened.jobs.events(job!.id, 0, 10)).toMatchObject([{ kind: 'created', seq: 1 }]);
    expect(ids((await reopened.jobs.list({ tag: 'kept', limit: 10 })).items)).toEqual([job!.id]);
  });
}

export function idempotencyKeyTests(ctx: StoreContext): void {
  const keyOf = (scopedKey: string, jobId: string, requestHash = 'hash-1') => ({ scopedKey, jobId, requestHash });

  it('an insert writes the key of its tree; the key is found with the job and request it names', async () => {
    const job = makeJob();
    await ctx.store().jobs.insert([job], 1_000, [keyOf('key:k1 import-42', job.id)]);
    expect(await ctx.store().jobs.findIdempotencyKeys(['key:k1 import-42'])).toEqual([keyOf('key:k1 import-42', job.id)]);
    expect(await ctx.store().jobs.findIdempotencyKeys(['key:k2 import-42'])).toEqual([]); // another caller's namespace
  });

  it('a key already taken refuses the whole insert (IdempotencyKeyTaken): neither the tree nor its events are written', async () => {
    const first = makeJob();
    await ctx.store().jobs.insert([first], 1_000, [keyOf('user:ada same', first.id)]);
    const parent = makeJob();
    const child = makeJob({ parentId: parent.id });
    const refused = ctx.store().jobs.insert([parent, child], 2_000, [keyOf('user:ada same', parent.id, 'hash-2')]);
    await expect(refused).rejects.toBeInstanceOf(IdempotencyKeyTaken);
    await expect(refused).rejects.toMatchObject({ scopedKey: 'user:ada same', code: 'CONFLICT' });
    expect(await ctx.store().jobs.getMany([parent.id, child.id])).toEqual([]);
    expect((await ctx.store().jobs.eventsSince(0, 100)).map((e) => e.jobId)).toEqual([first.id]);
    expect(await ctx.store().jobs.findIdempotencyKeys(['user:ada same'])).toEqual([keyOf('user:ada same', first.id)]);
  });

  it('two trees inserted together each keep their own key; one read finds those of many keys that exist', async () => {
    const [a, b] = [makeJob(), makeJob()];
    await ctx.store().jobs.insert([a, b], 1_000, [keyOf('admin a', a.id), keyOf('admin b', b.id, 'hash-b')]);
    const found = await ctx.store().jobs.findIdempotencyKeys(['admin a', 'admin missing', 'admin b']);
    expect(found.sort((x, y) => x.scopedKey.localeCompare(y.scopedKey))).toEqual([keyOf('admin a', a.id), keyOf('admin b', b.id, 'hash-b')]);
    expect(await ctx.store().jobs.findIdempotencyKeys([])).toEqual([]);
  });

  it('a purged job takes its key with it (the key can create a new job again)', async () => {
    const old = makeJob({ status: 'completed', finishedAt: 1_000 });
    await ctx.store().jobs.insert([old], 1_000, [keyOf('admin nightly', old.id)]);
    expect(await ctx.store().jobs.purgeFinished(5_000, 10)).toBe(1);
    expect(await ctx.store().jobs.findIdempotencyKeys(['admin nightly'])).toEqual([]);
    const again = makeJob();
    await ctx.store().jobs.insert([again], 6_000, [keyOf('admin nightly', again.id)]);
    expect((await ctx.store().jobs.findIdempotencyKeys(['admin nightly']))[0]?.jobId).toBe(again.id);
  });
}
