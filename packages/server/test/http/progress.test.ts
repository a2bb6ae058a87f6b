import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TOKEN_SECRET, createJob, signUserToken, type ErrorAnswer } from './fixtures.js';

type Answer = { jobId: string; seq: number; control: string } | { jobId: string; error: { code: string; message: string } };

describe('progress reports', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
  });
  afterAll(() => server.close());

  it('a report answers {seq, control}; the control follows pause and cancel requests', async () => {
    const job = await createJob(server, { total: 100, unit: 'rows' });
    const first = await server.request<{ seq: number; control: string }>('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 10, message: 'loading' } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ seq: expect.any(Number), control: 'run' });

    await server.request('POST', `/v1/jobs/${job.id}/pause`, { body: {} });
    const paused = await server.request<{ seq: number; control: string }>('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 20 } });
    expect(paused.body.control).toBe('pause');
    expect(paused.body.seq).toBeGreaterThan(first.body.seq);

    await server.request('POST', `/v1/jobs/${job.id}/resume`, { body: {} });
    await server.request('POST', `/v1/jobs/${job.id}/cancel`, { body: {} });
    const cancelled = await server.request<{ control: string }>('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 30 } });
    expect(cancelled.body.control).toBe('cancel');

    const read = await server.request<Job>('GET', `/v1/jobs/${job.id}`);
    expect(read.body).toMatchObject({ done: 30, total: 100, unit: 'rows', percent: 30 });
  });

  it('a report on a finished job is 409 with its status', async () => {
    const job = await createJob(server);
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    await server.request('POST', `/v1/jobs/${job.id}/complete`, { body: {} });
    const res = await server.request<ErrorAnswer>('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 1 } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('is completed');
  });

  it('a batch answers each item in order: seq and control, or that item’s error', async () => {
    const running = await createJob(server, { total: 10 });
    const pausing = await createJob(server, { total: 10 });
    const finished = await createJob(server);
    await server.request('POST', `/v1/jobs/${pausing.id}/start`, { body: {} });
    await server.request('POST', `/v1/jobs/${pausing.id}/pause`, { body: {} });
    await server.request('POST', `/v1/jobs/${finished.id}/cancel`, { body: {} });

    const res = await server.request<Answer[]>('POST', '/v1/progress', {
      body: [
        { jobId: running.id, done: 5 },
        { jobId: pausing.id, done: 2 },
        { jobId: 'no-such-job', done: 1 },
        { jobId: finished.id, done: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { jobId: running.id, seq: expect.any(Number), control: 'run' },
      { jobId: pausing.id, seq: expect.any(Number), control: 'pause' },
      { jobId: 'no-such-job', error: { code: 'JOB_NOT_FOUND', message: expect.stringContaining('no-such-job') } },
      { jobId: finished.id, error: { code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('cancelled') } },
    ]);
    expect((await server.request<Job>('GET', `/v1/jobs/${running.id}`)).body.done).toBe(5);
  });

  it("a user's batch cannot touch someone else's job", async () => {
    const alice = await signUserToken('alice', Math.floor(Date.now() / 1000) + 600);
    const mine = await createJob(server, {}, alice);
    const theirs = await createJob(server, { owner: 'bob' });
    const res = await server.request<Answer[]>('POST', '/v1/progress', { token: alice, body: [{ jobId: mine.id, done: 1 }, { jobId: theirs.id, done: 1 }] });
    expect(res.body[0]).toMatchObject({ jobId: mine.id, control: 'run' });
    expect(res.body[1]).toMatchObject({ jobId: theirs.id, error: { code: 'JOB_NOT_FOUND' } });
  });

  it('a batch with one malformed item is 400 naming its index and field, and applies none of it', async () => {
    const first = await createJob(server, { total: 100 });
    const second = await createJob(server, { total: 100 });
    const res = await server.request<ErrorAnswer>('POST', '/v1/progress', {
      body: [
        { jobId: first.id, done: 40 },
        { jobId: second.id, done: 10 },
        { jobId: second.id, percent: 140 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/"\[2\]\.percent"/);
    for (const job of [first, second]) expect((await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body.done).toBe(0);
  });

  it('an empty batch is a validation error', async () => {
    const res = await server.request<ErrorAnswer>('POST', '/v1/progress', { body: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/the body/);
  });
});
