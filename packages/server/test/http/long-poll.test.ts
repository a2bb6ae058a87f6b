import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

describe('long-poll GET /v1/jobs/:id?waitForChangeAfter', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers as soon as the job changes after the given seq', async () => {
    const job = await createJob(server);
    let answered = false;
    const waiting = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=20000`).then((res) => {
      answered = true;
      return res;
    });
    // The request is parked: a plain read in between comes back while the long-poll still waits.
    await server.request('GET', `/v1/jobs/${job.id}`);
    expect(answered).toBe(false);
    const started = Date.now();
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('running');
    expect(res.body.seq).toBeGreaterThan(job.seq);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers progress changes too (seq unchanged, newer state)', async () => {
    const job = await createJob(server, { total: 50 });
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const current = (await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body;
    const waiting = server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${current.seq}&timeoutMs=20000`);
    await server.request('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 25 } });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(current.updatedAt);
  });

  it('answers at once when the job is already past the seq', async () => {
    const job = await createJob(server);
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const started = Date.now();
    const res = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=20000`);
    expect(res.body.status).toBe('running');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers with the unchanged job at the timeout', async () => {
    const job = await createJob(server);
    const started = Date.now();
    const res = await server.request<Job>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=${job.seq}&timeoutMs=300`);
    expect(res.status).toBe(200);
    expect(res.body.seq).toBe(job.seq);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('a timeout above 30 s is refused', async () => {
    const job = await createJob(server);
    const res = await server.request<ErrorAnswer>('GET', `/v1/jobs/${job.id}?waitForChangeAfter=0&timeoutMs=60000`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/"timeoutMs"/);
  });
});
