import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, createKey, type ErrorAnswer } from './fixtures.js';

describe('rate limit, system status and dashboard', () => {
  let server: TestServer;
  const dashboardDir = mkdtempSync(join(tmpdir(), 'headway-dash-'));

  beforeAll(async () => {
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Headway</title><div id="root"></div>');
    writeFileSync(join(dashboardDir, 'app.js'), 'console.log("dashboard")');
    server = await startTestServer({ config: { rateLimitPerMinute: 5 }, dashboardDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('a key over its requests per minute gets 429 RATE_LIMITED; other keys and the admin do not', async () => {
    const busy = await createKey(server, ['jobs:read']);
    const calm = await createKey(server, ['jobs:read']);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await server.request('GET', '/v1/jobs', { token: busy.key })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: busy.key });
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/5 requests per minute/) });
    expect((await server.request('GET', '/v1/jobs', { token: calm.key })).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await server.request('GET', '/v1/jobs')).status).toBe(200);
  });

  it('GET /v1/system reports counts, rates, memory, event-loop delay and live connections', async () => {
    const job = await createJob(server);
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    await createJob(server);
    const res = await server.request<Record<string, unknown>>('GET', '/v1/system');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      nodeId: server.headway.nodeId,
      jobs: { running: 1, queued: 1, paused: 0 },
      reportsPerSec: expect.any(Number),
      liveConnections: 0,
      eventLoop: { delayP50Ms: expect.any(Number), delayP99Ms: expect.any(Number), delayMaxMs: expect.any(Number) },
      memory: { rssBytes: expect.any(Number), heapUsedBytes: expect.any(Number) },
    });
  });

  it('serves the dashboard at / with an index.html fallback for its page paths, but never for /v1', async () => {
    const root = await fetch(`${server.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    expect(await (await fetch(`${server.url}/app.js`)).text()).toContain('dashboard');
    const deep = await fetch(`${server.url}/jobs/0193abc`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(`${server.url}/v1/unknown`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as ErrorAnswer).error.code).toBe('NOT_FOUND');
  });
});
