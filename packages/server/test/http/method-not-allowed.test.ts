import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testServerPerTest, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

/** A known path called with a method it does not take is 405 with Allow; an unknown path stays 404. */
describe('methods a path does not take', () => {
  let server: TestServer;
  const startServer = testServerPerTest();

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function call(on: TestServer, method: string, url: string, token: string | null = on.adminKey) {
    const res = await on.app.inject({ method: method as 'GET', url, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, allow: res.headers.allow, body: res.payload ? res.json<ErrorAnswer>() : undefined };
  }

  it('DELETE on a job and GET on /v1/progress are 405 naming the methods the path takes, in the Allow header and the message', async () => {
    const job = await createJob(server);
    const deleted = await call(server, 'DELETE', `/v1/jobs/${job.id}`);
    expect(deleted).toEqual({
      status: 405,
      allow: 'GET, HEAD',
      body: { error: { code: 'METHOD_NOT_ALLOWED', message: `DELETE is not allowed on /v1/jobs/${job.id}; it takes GET, HEAD (see /v1/openapi.json)` } },
    });
    const read = await call(server, 'GET', '/v1/progress?x=1');
    expect(read).toEqual({ status: 405, allow: 'POST', body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET is not allowed on /v1/progress; it takes POST (see /v1/openapi.json)' } } });
    // The job is still there: nothing reached a handler.
    expect((await call(server, 'GET', `/v1/jobs/${job.id}`)).status).toBe(200);
  });

  it('lists every method of the path, whichever plugin registered it', async () => {
    expect(await call(server, 'PUT', '/v1/jobs')).toMatchObject({ status: 405, allow: 'GET, HEAD, POST' });
    expect(await call(server, 'POST', '/v1/users/ada/preferences')).toMatchObject({ status: 405, allow: 'GET, HEAD, PUT, PATCH' });
    expect(await call(server, 'GET', '/v1/users/ada/muted-jobs/j1')).toMatchObject({ status: 405, allow: 'PUT, DELETE' });
    expect(await call(server, 'GET', '/v1/jobs/j1/pause')).toMatchObject({ status: 405, allow: 'POST' });
    expect(await call(server, 'POST', '/v1/stream/sse')).toMatchObject({ status: 405, allow: 'GET, HEAD' });
    const head = await call(server, 'HEAD', '/v1/progress');
    expect(head).toMatchObject({ status: 405, allow: 'POST' });
  });

  it('is answered before authentication, as the 404 is: no token, or a wrong one, still gets 405', async () => {
    expect(await call(server, 'DELETE', '/v1/jobs/j1', null)).toMatchObject({ status: 405, allow: 'GET, HEAD', body: { error: { code: 'METHOD_NOT_ALLOWED' } } });
    expect(await call(server, 'GET', '/v1/progress', 'hw_nope_0123456789abcdefghij')).toMatchObject({ status: 405, allow: 'POST' });
    expect(await call(server, 'GET', '/v1/nothing-here', null)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('unknown paths stay 404 without Allow, whatever the method', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['DELETE', '/v1/jobs/j1/nothing'],
      ['POST', '/v1/jobs/j1/progress/extra'],
      ['GET', '/elsewhere'],
    ] as const) {
      const res = await call(server, method, url);
      expect(res, `${method} ${url}`).toMatchObject({ status: 404, allow: undefined, body: { error: { code: 'NOT_FOUND', message: `no route ${method} ${url}; the API is described at /v1/openapi.json` } } });
    }
  });

  it("catch-all routes do not count: the dashboard's GET /* and the CORS preflight's OPTIONS /* make no path known", async () => {
    const dashboardDir = mkdtempSync(join(tmpdir(), 'headway-dashboard-'));
    try {
      writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Headway</title>');
      const withDashboard = await startServer({ dashboardDir });
      expect(await call(withDashboard, 'POST', '/v1/nope')).toMatchObject({ status: 404, allow: undefined });
      expect(await call(withDashboard, 'GET', '/v1/progress')).toMatchObject({ status: 405, allow: 'POST' });
      expect(await call(withDashboard, 'DELETE', '/v1/jobs/j1')).toMatchObject({ status: 405, allow: 'GET, HEAD' });
      const page = await withDashboard.app.inject({ method: 'GET', url: '/jobs/j1' });
      expect(page.statusCode).toBe(200);
      expect(page.payload).toContain('<title>Headway</title>');
    } finally {
      rmSync(dashboardDir, { recursive: true, force: true });
    }
    // With CORS on (the default) any OPTIONS is a preflight; with it off, OPTIONS is a method like another.
    expect((await call(server, 'OPTIONS', '/v1/jobs')).status).toBe(204);
    const noCors = await startServer({ config: { corsOrigins: 'none' } });
    expect(await call(noCors, 'OPTIONS', '/v1/jobs')).toMatchObject({ status: 405, allow: 'GET, HEAD, POST' });
  });
});
