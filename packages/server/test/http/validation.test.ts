import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

describe('request validation', () => {
  let server: TestServer;
  const auth = () => ({ authorization: `Bearer ${server.adminKey}` });

  beforeAll(async () => {
    server = await startTestServer({ config: { bodyLimitBytes: 4_096 } });
  });
  afterAll(() => server.close());

  async function expect400(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<string> {
    const res = await server.app.inject({ method, url, headers: auth(), ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<ErrorAnswer>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    return body.error.message;
  }

  it('an unknown field is rejected with a message naming it, never silently dropped', async () => {
    expect(await expect400('POST', '/v1/jobs', { type: 'x', colour: 'red' })).toMatch(/unknown body field "colour"/);
    expect(await expect400('POST', '/v1/jobs', { type: 'x', steps: [{ name: 'a', extra: 1 }] })).toMatch(/unknown body field "steps\[0\]\.extra"/);
    const job = await createJob(server);
    expect(await expect400('POST', `/v1/jobs/${job.id}/progress`, { done: 1, speed: 3 })).toMatch(/"speed".*allowed: done, total/);
    expect(await expect400('POST', '/v1/progress', [{ jobId: job.id, done: 1 }, { jobId: job.id, doen: 2 }])).toMatch(/"\[1\]\.doen"/);
    expect(await expect400('POST', `/v1/jobs/${job.id}/start`, { force: true })).toMatch(/"force"/);
    expect(await expect400('POST', `/v1/jobs/${job.id}/pause`, { force: true })).toMatch(/"force".*takes no fields here/);
  });

  it('a wrong type or a missing field names the field and what was sent', async () => {
    expect(await expect400('POST', '/v1/jobs', { type: 'x', total: 'lots' })).toMatch(/"total": expected number, got "lots"/);
    expect(await expect400('POST', '/v1/jobs', { title: 'no type' })).toMatch(/"type" is required/);
    expect(await expect400('POST', '/v1/jobs', { type: 'has spaces' })).toMatch(/"type"/);
    const job = await createJob(server);
    expect(await expect400('POST', `/v1/jobs/${job.id}/progress`, { percent: 140 })).toMatch(/"percent".*100/);
    expect(await expect400('POST', `/v1/jobs/${job.id}/fail`, { error: {} })).toMatch(/"error\.message" is required/);
    expect(await expect400('POST', '/v1/keys', { name: 'k', scopes: ['jobs:everything'] })).toMatch(/"scopes\[0\]" must be one of "jobs:read"/);
  });

  it('query parameters are converted from strings and checked', async () => {
    expect(await expect400('GET', '/v1/jobs?limit=lots')).toMatch(/query parameter "limit"/);
    expect(await expect400('GET', '/v1/jobs?limit=0')).toMatch(/query parameter "limit"/);
    expect(await expect400('GET', '/v1/jobs?colour=red')).toMatch(/unknown query parameter "colour"/);
    expect(await expect400('GET', '/v1/jobs?sort=size')).toMatch(/"sort" must be one of "createdAt", "-createdAt"/);
    expect(await expect400('GET', '/v1/jobs?status=running,sleeping')).toMatch(/unknown status "sleeping"/);
    const ok = await server.app.inject({ method: 'GET', url: '/v1/jobs?limit=2&sort=-createdAt', headers: auth() });
    expect(ok.statusCode).toBe(200);
  });

  it('a path id longer than 100 characters reaches its route: 400 naming the field past its own limit, never 500', async () => {
    expect(await expect400('GET', `/v1/jobs/${'j'.repeat(101)}`)).toMatch(/path parameter "id": expected string length less or equal to 64/);
    expect(await expect400('GET', `/v1/users/${'u'.repeat(201)}/preferences`)).toMatch(/path parameter "id"/);
    // User ids may be 200 characters, and an encoded character takes up to 9 in the path.
    const longUser = await server.app.inject({ method: 'GET', url: `/v1/users/${'%E2%82%AC'.repeat(200)}/preferences`, headers: auth() });
    expect(longUser.statusCode, longUser.body).toBe(200);
    expect(await expect400('GET', `/v1/jobs/${'j'.repeat(5_000)}`)).toMatch(/path segment is longer than 2000 characters/);
    // Where the router finds no route rather than raising its own error, the answer is the same.
    expect(await expect400('POST', `/v1/jobs/${'j'.repeat(3_000)}/pause`)).toMatch(/path segment is longer than 2000 characters/);
    const unknown = await server.app.inject({ method: 'GET', url: `/v1/nothing/${'x'.repeat(1_500)}`, headers: auth() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorAnswer>().error.message.length).toBeLessThan(300); // the path is not echoed whole
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/v1/jobs', headers: auth(), payload: { type: 'x', title: 'y'.repeat(400), metadata: { blob: 'z'.repeat(5_000) } } });
    expect(res.statusCode).toBe(413);
    expect(res.json<ErrorAnswer>().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/4096 bytes/) });
  });

  it('malformed JSON and non-JSON bodies are 400 with a hint', async () => {
    const bad = await server.app.inject({ method: 'POST', url: '/v1/jobs', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"type": "x",' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorAnswer>().error.message).toMatch(/not valid JSON/);
    const text = await server.app.inject({ method: 'POST', url: '/v1/jobs', headers: { ...auth(), 'content-type': 'text/plain' }, payload: 'type=x' });
    expect(text.statusCode).toBe(400);
    expect(text.json<ErrorAnswer>().error.message).toMatch(/application\/json/);
  });

  it('a body with a "__proto__" key (or "constructor.prototype") is 400 naming the key, and creates nothing', async () => {
    const before = (await server.app.inject({ method: 'GET', url: '/v1/jobs?type=proto.test', headers: auth() })).json<{ items: unknown[] }>().items.length;
    for (const payload of ['{"type":"proto.test","metadata":{"__proto__":{"admin":true}}}', '{"type":"proto.test","metadata":{"constructor":{"prototype":{"admin":true}}}}']) {
      const res = await server.app.inject({ method: 'POST', url: '/v1/jobs', headers: { ...auth(), 'content-type': 'application/json' }, payload });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<ErrorAnswer>().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/"__proto__".*rename/) });
      expect(res.json<ErrorAnswer>().error.message).not.toMatch(/not valid JSON/);
    }
    const after = (await server.app.inject({ method: 'GET', url: '/v1/jobs?type=proto.test', headers: auth() })).json<{ items: unknown[] }>().items.length;
    expect(after).toBe(before);
  });

  it('an action without a body (or with an empty JSON body) is accepted', async () => {
    const job = await createJob(server);
    const bare = await server.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/start`, headers: auth() });
    expect(bare.statusCode, bare.body).toBe(200);
    const empty = await server.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/pause`, headers: { ...auth(), 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode, empty.body).toBe(200);
  });

  it('unknown routes are 404 NOT_FOUND in the error shape', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorAnswer>().error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/GET \/v1\/nothing-here/) });
    const missingJob = await server.app.inject({ method: 'GET', url: '/v1/jobs/does-not-exist', headers: auth() });
    expect(missingJob.statusCode).toBe(404);
    expect(missingJob.json<ErrorAnswer>().error.code).toBe('JOB_NOT_FOUND');
  });
});
