import { beforeAll, describe, expect, it } from 'vitest';
import { HeadwayError } from '@headway/protocol';
import { createClient, JobCancelledError, type HeadwayClient } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { recordingFetch } from '../support/recording-fetch.js';

describe('reports the server refuses', () => {
  const live = liveServerPerSuite();
  let worker: HeadwayClient;
  beforeAll(() => void (worker = live.client()));

  const twoSteps = { type: 'refusals', steps: [{ name: 's1' }, { name: 's2' }] };

  it("one job's invalid report fails only that job's reporter; another job's step change in the same request lands", async () => {
    const recorder = recordingFetch();
    const client = createClient({ url: live.server.url, token: live.server.adminKey, fetch: recorder.fetch });
    const [a, b] = await Promise.all([live.admin.createJob(twoSteps), live.admin.createJob(twoSteps)]);
    const errors = { a: [] as string[], b: [] as string[] };
    const reporterA = client.report(a.id, { onError: (error) => errors.a.push((error as HeadwayError).code) });
    const reporterB = client.report(b.id, { onError: (error) => errors.b.push((error as HeadwayError).code) });
    reporterA.message('x'.repeat(2_001));
    reporterB.step('s2');
    const [flushA, flushB] = await Promise.allSettled([reporterA.flush(), reporterB.flush()]);

    // Both went in one request, which the server refused as a whole.
    const first = recorder.sent[0]!;
    expect([first.path, first.status, (JSON.parse(first.body) as unknown[]).length]).toEqual(['/v1/progress', 400, 2]);
    expect(flushB.status).toBe('fulfilled');
    expect(errors.b).toEqual([]);
    expect((await live.admin.getJob(b.id)).currentStep).toBe('s2');
    expect(flushA).toMatchObject({ status: 'rejected', reason: { code: 'VALIDATION_FAILED' } });
    expect(errors.a).toEqual(['VALIDATION_FAILED']);
    expect(reporterA.lastError).toBeInstanceOf(HeadwayError);

    reporterA.step('s2');
    await reporterA.flush();
    expect((await live.admin.getJob(a.id)).currentStep).toBe('s2');
    client.close();
  });

  it('checkpoint() throws JobCancelledError once reports are refused because the job was cancelled', async () => {
    const job = await live.admin.createJob({ type: 'refusals' });
    await live.admin.cancel(job.id);
    const reporter = worker.report(job.id, { onError: () => {} });
    reporter.progress(1);
    await expect(reporter.flush()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(reporter.checkpoint()).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('checkpoint() throws once reports are refused because the job was completed elsewhere', async () => {
    const job = await live.admin.createJob({ type: 'refusals' });
    await live.admin.start(job.id);
    await live.admin.complete(job.id);
    const reporter = worker.report(job.id, { onError: () => {} });
    reporter.progress(1);
    await expect(reporter.flush()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(reporter.checkpoint()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('is completed') });
  });

  it('checkpoint() throws once reports are refused because the job does not exist', async () => {
    const reporter = worker.report('01a20c8f-0000-7000-8000-000000000000', { onError: () => {} });
    reporter.progress(5);
    await expect(reporter.flush()).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(reporter.checkpoint()).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it("in a batch, only the cancelled job's checkpoint() throws", async () => {
    const [cancelled, running] = await Promise.all([live.admin.createJob({ type: 'refusals' }), live.admin.createJob({ type: 'refusals' })]);
    await live.admin.cancel(cancelled.id);
    const stopping = worker.report(cancelled.id, { onError: () => {} });
    const going = worker.report(running.id);
    stopping.progress(1);
    going.progress(1);
    await Promise.allSettled([stopping.flush(), going.flush()]);
    await expect(stopping.checkpoint()).rejects.toBeInstanceOf(JobCancelledError);
    await expect(going.checkpoint()).resolves.toBeUndefined();
    expect((await live.admin.getJob(running.id)).status).toBe('running');
  });

  it('ticks of a step still waiting for the throttle when the next step starts are credited to the old step', async () => {
    const job = await live.admin.createJob({ type: 'refusals', steps: [{ name: 'a' }, { name: 'b' }] });
    const reporter = worker.report(job.id, { throttleMs: 60_000 });
    reporter.step('a');
    reporter.progress(10, 100);
    await reporter.flush();
    reporter.progress(90, 100);
    reporter.step('b');
    await reporter.flush();
    const after = await live.admin.getJob(job.id);
    // Step a counted its own units (its total came while it ran), so b starts a fresh count.
    expect(after).toMatchObject({ currentStep: 'b', done: 0, total: null });
    expect(after.steps.map(({ name, status, total }) => ({ name, status, total }))).toEqual([
      { name: 'a', status: 'done', total: 100 },
      { name: 'b', status: 'running', total: undefined },
    ]);
  });

  it('fail() records any thrown value: empty, over-long or unstorable messages, strings, odd codes', async () => {
    const cases: Array<[unknown, { message: string | RegExp; code: string | null }]> = [
      [new Error(''), { message: 'Error without a message', code: null }],
      [new Error(`SQL failed: ${'x'.repeat(12_000)}`), { message: /^SQL failed: x+… \[truncated: 12,012 characters in all\]$/, code: null }],
      ['disk full', { message: 'disk full', code: null }],
      [Object.assign(new Error('boom'), { code: 500 }), { message: 'boom', code: '500' }],
      [Object.assign(new Error('boom'), { code: 'E'.repeat(150) }), { message: 'boom', code: 'E'.repeat(100) }],
      [new Error('bad\0byte'), { message: 'bad\uFFFDbyte', code: null }],
    ];
    for (const [thrown, expected] of cases) {
      const job = await live.admin.createJob({ type: 'refusals' });
      const reporter = worker.report(job.id);
      reporter.progress(1);
      const failed = await reporter.fail(thrown, { retry: false });
      expect(failed.status).toBe('failed');
      expect(failed.error?.message).toMatch(typeof expected.message === 'string' ? new RegExp(`^${escape(expected.message)}$`) : expected.message);
      expect(failed.error?.code).toBe(expected.code);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
