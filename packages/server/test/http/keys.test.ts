import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createKey, type ErrorAnswer } from './fixtures.js';

type KeyView = { id: string; name: string; scopes: string[]; createdAt: number; revokedAt: number | null };

describe('API keys over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('the admin creates a key whose secret is shown once; the list never shows secrets or hashes', async () => {
    const created = await server.request<KeyView & { key: string }>('POST', '/v1/keys', { body: { name: 'worker', scopes: ['jobs:write', 'jobs:read'] } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(new RegExp(`^hw_${created.body.id}_[A-Za-z0-9_-]{16,}$`));
    expect((await server.request('GET', '/v1/jobs', { token: created.body.key })).status).toBe(200);

    const listed = await server.request<{ items: KeyView[] }>('GET', '/v1/keys');
    const mine = listed.body.items.find((k) => k.id === created.body.id)!;
    expect(mine).toEqual({ id: created.body.id, name: 'worker', scopes: ['jobs:write', 'jobs:read'], createdAt: expect.any(Number), revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.split('_').slice(2).join('_')); // the secret may itself contain '_'
  });

  it('a key with keys:admin manages keys; revoking marks it and answers 404 for unknown ids', async () => {
    const admin = await createKey(server, ['keys:admin']);
    const victim = await createKey(server, ['jobs:read']);
    const revoked = await server.request<KeyView>('DELETE', `/v1/keys/${victim.id}`, { token: admin.key });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(Number));
    expect((await server.request('GET', '/v1/jobs', { token: victim.key })).status).toBe(401);
    const unknown = await server.request<ErrorAnswer>('DELETE', '/v1/keys/doesnotexist', { token: admin.key });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('a key cannot be created without scopes or with a duplicate scope', async () => {
    expect((await server.request('POST', '/v1/keys', { body: { name: 'x', scopes: [] } })).status).toBe(400);
    expect((await server.request('POST', '/v1/keys', { body: { name: 'x', scopes: ['jobs:read', 'jobs:read'] } })).status).toBe(400);
  });
});
