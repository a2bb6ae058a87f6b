import type { Job, JobAction } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

describe('job actions over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function act(job: Job, action: JobAction, body: unknown = {}): Promise<Job> {
    const res = await server.request<Job>('POST', `/v1/jobs/${job.id}/${action}`, { body });
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  }

  async function expectIllegal(job: Job, action: JobAction, status: Job['status'], body: unknown = {}): Promise<void> {
    const res = await server.request<ErrorAnswer>('POST', `/v1/jobs/${job.id}/${action}`, { body });
    expect(res.status, `${action} on a ${status} job`).toBe(409);
    expect(res.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect(res.body.error.message).toContain(`is ${status}`);
  }

  it('start, pause (requested, then acknowledged), resume, complete with a result', async () => {
    const job = await createJob(server);
    expect(job.status).toBe('queued');
    await expectIllegal(job, 'complete', 'queued');
    await expectIllegal(job, 'fail', 'queued', { error: { message: 'x' } });
    await expectIllegal(job, 'retry', 'queued');
    await expectIllegal(job, 'resume', 'queued');
    expect(await act(job, 'start')).toMatchObject({ status: 'running', control: 'run' });
    await expectIllegal(job, 'start', 'running');
    // A running job's worker is asked to pause; it acknowledges by pausing too.
    expect(await act(job, 'pause')).toMatchObject({ status: 'running', control: 'pause' });
    expect(await act(job, 'pause')).toMatchObject({ status: 'paused' });
    await expectIllegal(job, 'pause', 'paused');
    await expectIllegal(job, 'complete', 'paused');
    expect(await act(job, 'resume')).toMatchObject({ status: 'queued', control: 'run' });
    await act(job, 'start');
    const done = await act(job, 'complete', { result: { rows: 42 } });
    expect(done).toMatchObject({ status: 'completed', percent: 100, result: { rows: 42 } });
    for (const action of ['start', 'complete', 'pause', 'resume', 'cancel', 'retry'] as const) await expectIllegal(job, action, 'completed');
  });

  it('fail without retry, then retry by hand; cancel a queued job, then retry it', async () => {
    const job = await createJob(server, { maxAttempts: 3 });
    await act(job, 'start');
    const failed = await act(job, 'fail', { error: { message: 'disk full', code: 'ENOSPC' }, retry: false });
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'disk full', code: 'ENOSPC', attempt: 1 } });
    await expectIllegal(job, 'fail', 'failed', { error: { message: 'again' } });
    expect(await act(job, 'retry')).toMatchObject({ status: 'queued', attempt: 2, error: null });

    expect(await act(job, 'cancel')).toMatchObject({ status: 'cancelled' });
    await expectIllegal(job, 'cancel', 'cancelled');
    await expectIllegal(job, 'resume', 'cancelled');
    expect(await act(job, 'retry')).toMatchObject({ status: 'queued' });
  });

  it('a failure with attempts left goes back to the queue with a backoff', async () => {
    const job = await createJob(server, { maxAttempts: 2 });
    await act(job, 'start');
    const requeued = await act(job, 'fail', { error: { message: 'timeout' } });
    expect(requeued.status).toBe('queued');
    expect(requeued.attempt).toBe(2);
    expect(requeued.runAfter).toBeGreaterThan(Date.now() - 1_000);
  });

  it('cancel of a running job is a request until the worker acknowledges', async () => {
    const job = await createJob(server);
    await act(job, 'start');
    expect(await act(job, 'cancel')).toMatchObject({ status: 'running', control: 'cancel' });
    expect(await act(job, 'cancel')).toMatchObject({ status: 'cancelled' });
  });

  it('every action on an unknown job is 404', async () => {
    for (const action of ['start', 'complete', 'pause', 'resume', 'cancel', 'retry'] as const) {
      const res = await server.request<ErrorAnswer>('POST', `/v1/jobs/nope/${action}`, { body: {} });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('JOB_NOT_FOUND');
    }
  });

  it('the audit trail lists the transitions in order and pages with after', async () => {
    const job = await createJob(server);
    await act(job, 'start');
    await act(job, 'complete');
    const all = await server.request<{ items: Array<{ seq: number; kind: string; to?: string }> }>('GET', `/v1/jobs/${job.id}/events`);
    expect(all.status).toBe(200);
    const transitions = all.body.items.filter((e) => e.kind === 'transition').map((e) => e.to);
    expect(transitions).toEqual(['running', 'completed']);
    const seqs = all.body.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const rest = await server.request<{ items: Array<{ seq: number }> }>('GET', `/v1/jobs/${job.id}/events?after=${seqs[0]}&limit=1`);
    expect(rest.body.items.map((e) => e.seq)).toEqual([seqs[1]]);
  });
});
