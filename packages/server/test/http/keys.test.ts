import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_RECHECK_MS, KEY_REFRESH_AHEAD_MS } from '../../src/http/auth/api-key-lookup.js';
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
    expect((await server.request('GET', '/v1/jobs', { token: victim.key })).status).toBe(200); // now remembered
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

describe('API keys found once are trusted for KEY_RECHECK_MS', () => {
  let server: TestServer;
  let at = Date.UTC(2024, 0, 1);
  beforeAll(async () => {
    server = await startTestServer({ headway: { now: () => at } });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => server.close());

  it("a worker's requests do not each ask the store for its key, and unknown keys are asked every time", async () => {
    const worker = await createKey(server, ['jobs:read']);
    const lookups = vi.spyOn(server.headway.store.keys, 'findByHash');
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.request('GET', '/v1/jobs', { token: worker.key })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(lookups).toHaveBeenCalledTimes(1); // concurrent requests shared one lookup
    at += KEY_RECHECK_MS;
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    expect(lookups).toHaveBeenCalledTimes(2);

    const guess = `hw_${worker.id}_${'x'.repeat(32)}`;
    for (let i = 0; i < 3; i++) expect((await server.request('GET', '/v1/jobs', { token: guess })).status).toBe(401);
    expect(lookups).toHaveBeenCalledTimes(5);
  });

  it('a key revoked in the database by another node or the CLI is refused once KEY_RECHECK_MS has passed', async () => {
    const worker = await createKey(server, ['jobs:read']);
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    expect(await server.headway.store.keys.revoke(worker.id, at)).toBe(true); // what `headway keys revoke` does
    at += KEY_RECHECK_MS - 1;
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    at += 1;
    const refused = await server.request<ErrorAnswer>('GET', '/v1/jobs', { token: worker.key });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toContain(`API key ${worker.id} was revoked`);
  });

  it('a lookup that read the key before a revocation here does not make it trusted again', async () => {
    const worker = await createKey(server, ['jobs:read']);
    const keys = server.headway.store.keys;
    const findByHash = keys.findByHash.bind(keys);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(keys, 'findByHash').mockImplementationOnce(async (hash) => {
      const found = await findByHash(hash); // read before the revocation
      await gate;
      return found;
    });
    const early = server.request('GET', '/v1/jobs', { token: worker.key });
    await vi.waitFor(() => expect(keys.findByHash).toHaveBeenCalled());
    expect((await server.request('DELETE', `/v1/keys/${worker.id}`)).status).toBe(200);
    release();
    expect((await early).status).toBe(200); // it was accepted before the revocation was
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(401);
  });

  it("a busy key is checked again in the background before its check expires; its requests wait only once it has", async () => {
    const worker = await createKey(server, ['jobs:read']);
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    const keys = server.headway.store.keys;
    const findByHash = keys.findByHash.bind(keys);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const lookups = vi.spyOn(keys, 'findByHash').mockImplementation(async (hash) => {
      await gate;
      return findByHash(hash);
    });
    at += KEY_REFRESH_AHEAD_MS;
    // Answered while the store has not answered the refresh; a second request starts no second one.
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    expect((await server.request('GET', '/v1/jobs', { token: worker.key })).status).toBe(200);
    expect(lookups).toHaveBeenCalledTimes(1);
    // Past KEY_RECHECK_MS without an answer, a request waits for the refresh under way.
    at += KEY_RECHECK_MS - KEY_REFRESH_AHEAD_MS;
    let answered = false;
    const waiting = server.request('GET', '/v1/jobs', { token: worker.key }).then((answer) => ((answered = true), answer));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    await keys.revoke(worker.id, at); // what the refresh reads, as another node revoking meanwhile
    release();
    expect((await waiting).status).toBe(401);
    expect(lookups).toHaveBeenCalledTimes(1);
  });
});
