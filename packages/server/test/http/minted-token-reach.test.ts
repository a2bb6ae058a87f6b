import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TOKEN_SECRET, createKey, signUserToken, type ErrorAnswer } from './fixtures.js';

/** Every route that reads or changes a user's notification data, as alice's own token calls it. */
const ALICE_NOTIFICATION_ROUTES: Array<{ method: string; path: string; body?: unknown }> = [
  { method: 'GET', path: '/v1/users/alice/preferences' },
  { method: 'PUT', path: '/v1/users/alice/preferences', body: { contacts: { email: 'mallory@example.test' } } },
  { method: 'GET', path: '/v1/users/alice/watches' },
  { method: 'GET', path: '/v1/notifications' },
  { method: 'GET', path: '/v1/notifications/unread-count' },
  { method: 'POST', path: '/v1/notifications/read', body: {} },
];

describe('a minted user token reaches no more than its minting key', () => {
  let server: TestServer;
  const mint = async (key: string, sub = 'alice') => {
    const minted = await server.request<{ token: string }>('POST', '/v1/tokens', { token: key, body: { sub } });
    expect(minted.status).toBe(201);
    return minted.body.token;
  };

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
    const saved = await server.request('PUT', '/v1/users/alice/preferences', { body: { contacts: { email: 'alice@example.test' } } });
    expect(saved.status).toBe(200);
  });
  afterAll(() => server.close());

  it('a token minted by a jobs-only key works on its jobs but is 403 on its user notifications, preferences and watches, which stay unchanged', async () => {
    const { key } = await createKey(server, ['jobs:read', 'jobs:write']);
    expect((await server.request('GET', '/v1/users/alice/preferences', { token: key })).status).toBe(403);
    const token = await mint(key);
    const job = await server.request<{ owner: string }>('POST', '/v1/jobs', { token, body: { type: 'report' } });
    expect(job.status).toBe(201);
    expect(job.body.owner).toBe('alice');
    expect((await server.request('GET', '/v1/jobs', { token })).status).toBe(200);
    for (const route of ALICE_NOTIFICATION_ROUTES) {
      const refused = await server.request<ErrorAnswer>(route.method, route.path, { token, body: route.body });
      expect(refused.status, `${route.method} ${route.path}`).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect(refused.body.error.message).toMatch(/reaches only jobs.*notifications:admin/);
    }
    const prefs = await server.request<{ contacts: { email: string } }>('GET', '/v1/users/alice/preferences');
    expect(prefs.body.contacts.email).toBe('alice@example.test');
  });

  it('tokens minted by the admin key or a key with notifications:admin, and tokens the host app signs, keep full access to their user', async () => {
    const { key } = await createKey(server, ['jobs:read', 'jobs:write', 'notifications:admin']);
    const tokens = [await mint(server.adminKey), await mint(key), await signUserToken('alice', Math.floor(Date.now() / 1000) + 600)];
    for (const token of tokens) {
      for (const route of ALICE_NOTIFICATION_ROUTES.filter((r) => r.method === 'GET')) {
        expect((await server.request(route.method, route.path, { token })).status, route.path).toBe(200);
      }
    }
  });

  it('a token with a reach claim this server does not know is refused, not widened', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ hw_reach: 'everything' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(TOKEN_SECRET));
    const refused = await server.request<ErrorAnswer>('GET', '/v1/users/alice/preferences', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/hw_reach/);
  });
});
