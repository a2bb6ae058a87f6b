import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TOKEN_SECRET, createJob, createKey, signUserToken, type ErrorAnswer } from './fixtures.js';

describe('authentication and authorization', () => {
  let server: TestServer;
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
  });
  afterAll(() => server.close());

  it('a request without a token is 401 and says the token is missing', async () => {
    const res = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(res.body.error.message).toMatch(/missing token/);
  });

  it('a garbage token is 401 malformed; another auth scheme is 401 too', async () => {
    const garbage = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: 'not-a-token' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.message).toMatch(/malformed token/);
    const basic = await server.app.inject({ method: 'GET', url: '/v1/jobs', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().error.message).toMatch(/Bearer/);
  });

  it('a wrong admin key and an unknown API key are 401', async () => {
    const wrongAdmin = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: `${server.adminKey}x` });
    expect(wrongAdmin.status).toBe(401);
    const unknown = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: 'hw_abcdef123456_AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toMatch(/unknown API key abcdef123456/);
  });

  it('an expired user token is 401 and says when it expired', async () => {
    const expired = await signUserToken('alice', Math.floor(Date.now() / 1000) - 60);
    const res = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired at \d{4}-\d\d-\d\dT/);
  });

  it('a user token signed with another secret, or without sub, is 401', async () => {
    const forged = await signUserToken('alice', inAnHour(), 'another-secret-another-secret-another');
    expect((await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: forged })).body.error.message).toMatch(/signature/);
    const noSub = await signUserToken(undefined, inAnHour());
    const res = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: noSub });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/"sub"/);
  });

  it('a revoked API key is 401 from the moment it is revoked', async () => {
    const { id, key } = await createKey(server, ['jobs:read']);
    expect((await server.request('GET', '/v1/jobs', { token: key })).status).toBe(200);
    expect((await server.request('DELETE', `/v1/keys/${id}`)).status).toBe(200);
    const res = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: key });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(new RegExp(`API key ${id} was revoked`));
  });

  it("a user sees and controls only its own jobs: someone else's job is 404", async () => {
    const alice = await signUserToken('alice', inAnHour());
    const bob = await signUserToken('bob', inAnHour());
    const alicesJob = await createJob(server, { title: 'alice report' }, alice);
    expect(alicesJob.owner).toBe('alice');
    await createJob(server, { owner: 'bob' });

    expect((await server.request('GET', `/v1/jobs/${alicesJob.id}`, { token: alice })).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', `/v1/jobs/${alicesJob.id}`, undefined],
      ['GET', `/v1/jobs/${alicesJob.id}/events`, undefined],
      ['POST', `/v1/jobs/${alicesJob.id}/progress`, { done: 1 }],
      ['POST', `/v1/jobs/${alicesJob.id}/cancel`, {}],
    ] as const) {
      const res = await server.request<ErrorAnswer>(method, path, { token: bob, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('JOB_NOT_FOUND');
    }
    const bobsList = await server.request<{ items: Array<{ owner: string }> }>('GET', '/v1/jobs?limit=100', { token: bob });
    expect(bobsList.body.items.length).toBeGreaterThan(0);
    expect(bobsList.body.items.every((job) => job.owner === 'bob')).toBe(true);
  });

  it('a user token cannot create jobs for someone else, mint tokens or manage keys (403)', async () => {
    const alice = await signUserToken('alice', inAnHour());
    expect((await server.request('POST', '/v1/jobs', { token: alice, body: { type: 't', owner: 'bob' } })).status).toBe(403);
    expect((await server.request('POST', '/v1/tokens', { token: alice, body: { sub: 'bob' } })).status).toBe(403);
    expect((await server.request('GET', '/v1/keys', { token: alice })).status).toBe(403);
    expect((await server.request('GET', '/v1/system', { token: alice })).status).toBe(403);
  });

  it('a key without the needed scope is 403 naming the scope', async () => {
    const reader = await createKey(server, ['jobs:read']);
    const writer = await createKey(server, ['jobs:write']);
    const job = await createJob(server);
    const create = await server.request<ErrorAnswer>('POST', '/v1/jobs', { token: reader.key, body: { type: 't' } });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toMatch(/"jobs:write"/);
    expect((await server.request('POST', '/v1/progress', { token: reader.key, body: [{ jobId: job.id, done: 1 }] })).status).toBe(403);
    const read = await server.request<ErrorAnswer>('GET', `/v1/jobs/${job.id}`, { token: writer.key });
    expect(read.status).toBe(403);
    expect(read.body.error.message).toMatch(/"jobs:read"/);
    expect((await server.request('POST', '/v1/keys', { token: writer.key, body: { name: 'x', scopes: ['jobs:read'] } })).status).toBe(403);
  });

  it('POST /v1/tokens mints a user token with an API key; the token works and expires when it says', async () => {
    const { key } = await createKey(server, ['jobs:read', 'jobs:write']);
    const before = Date.now();
    const minted = await server.request<{ token: string; expiresAt: number }>('POST', '/v1/tokens', { token: key, body: { sub: 'carol', ttlSeconds: 120 } });
    expect(minted.status).toBe(201);
    // At least the lifetime asked for (JWT times are whole seconds, so up to a second more).
    expect(minted.body.expiresAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(minted.body.expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);
    const job = await createJob(server, {}, minted.body.token);
    expect(job.owner).toBe('carol');
  });

  it('only a key that may read and change jobs mints user tokens: a token must not give its key powers it lacks', async () => {
    for (const scopes of [['jobs:read'], ['jobs:write'], ['notifications:admin'], ['keys:admin']]) {
      const { key } = await createKey(server, scopes);
      const refused = await server.request<ErrorAnswer>('POST', '/v1/tokens', { token: key, body: { sub: 'carol' } });
      expect(refused.status, scopes.join()).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect(refused.body.error.message).toMatch(/needs a key with the jobs:read and jobs:write scopes/);
    }
  });

  it('health and openapi need no token', async () => {
    expect((await server.request('GET', '/v1/health', { token: null })).status).toBe(200);
    expect((await server.request('GET', '/v1/openapi.json', { token: null })).status).toBe(200);
  });
});
