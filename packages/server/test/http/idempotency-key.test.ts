import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { TOKEN_SECRET, createKey, signUserToken, type ErrorAnswer } from './fixtures.js';

describe('POST /v1/jobs with an Idempotency-Key', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
  });
  afterAll(() => server.close());

  /** A create as a client sends it, with its key; answers the status, the replay header and the body. */
  async function create<T = Job>(body: Record<string, unknown>, key: string | undefined, token = server.adminKey) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as T };
  }

  async function jobsOfType(type: string): Promise<Job[]> {
    return (await server.request<{ items: Job[] }>('GET', `/v1/jobs?type=${type}&limit=100`)).body.items;
  }

  it('the same key and body again answers the job the first request created (200, Idempotent-Replayed), as it is now', async () => {
    const body = { type: 'idem.resend', title: 'Import users.csv', total: 200_000, children: [{ type: 'idem.resend.part' }] };
    const first = await create(body, 'import-users-2026-11-25');
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    await server.request('POST', `/v1/jobs/${first.body.id}/start`);

    const again = await create(body, 'import-users-2026-11-25');
    expect(again.status).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.body).toMatchObject({ id: first.body.id, status: 'running', title: 'Import users.csv' });
    expect(await jobsOfType('idem.resend')).toHaveLength(1);
    expect(await jobsOfType('idem.resend.part')).toHaveLength(1); // the children were not created twice either
  });

  it('the same key with another body is refused (409 CONFLICT naming the first job) and creates nothing', async () => {
    const first = await create({ type: 'idem.reuse', title: 'first' }, 'reused-key');
    const other = await create<ErrorAnswer>({ type: 'idem.reuse', title: 'second' }, 'reused-key');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONFLICT');
    expect(other.body.error.message).toContain(first.body.id);
    expect(other.body.error.message).toMatch(/new key/);
    expect((await jobsOfType('idem.reuse')).map((job) => job.title)).toEqual(['first']);
  });

  it('keys are per caller: two API keys, or two users, sending the same key create a job each, and see only their own', async () => {
    const [worker1, worker2] = [await createKey(server, ['jobs:write', 'jobs:read'], 'w1'), await createKey(server, ['jobs:write', 'jobs:read'], 'w2')];
    const body = { type: 'idem.callers' };
    const byKey1 = await create(body, 'nightly', worker1.key);
    const byKey2 = await create(body, 'nightly', worker2.key);
    expect([byKey1.status, byKey2.status]).toEqual([201, 201]);
    expect(byKey2.body.id).not.toBe(byKey1.body.id);

    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const [alice, bob] = [await signUserToken('alice', inAnHour), await signUserToken('bob', inAnHour)];
    const aliceJob = await create(body, 'nightly', alice);
    const bobJob = await create(body, 'nightly', bob);
    expect([aliceJob.status, bobJob.status]).toEqual([201, 201]);
    expect(bobJob.body).toMatchObject({ owner: 'bob' });
    expect(bobJob.body.id).not.toBe(aliceJob.body.id);
    const aliceAgain = await create(body, 'nightly', alice);
    expect(aliceAgain).toMatchObject({ status: 200, body: { id: aliceJob.body.id, owner: 'alice' } });
    expect(await jobsOfType('idem.callers')).toHaveLength(4);
  });

  it('the same key sent many times at once creates one job, and every request answers it', async () => {
    const body = { type: 'idem.race', steps: [{ name: 'fetch' }, { name: 'store' }] };
    const answers = await Promise.all(Array.from({ length: 8 }, () => create(body, 'raced-key')));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.replayed === 'true')).toHaveLength(7);
    expect(await jobsOfType('idem.race')).toHaveLength(1);
  });

  it('a key that is empty, too long or has spaces is a 400 saying what a key may be, and creates nothing', async () => {
    for (const key of ['', 'x'.repeat(256), 'two words', 'tab\there']) {
      const res = await create<ErrorAnswer>({ type: 'idem.badkey' }, key);
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/Idempotency-Key header must be 1 to 255 visible ASCII characters/);
    }
    expect(await jobsOfType('idem.badkey')).toEqual([]);
  });

  it('an invalid body with a key is refused as without one, and does not take the key', async () => {
    const bad = await create<ErrorAnswer>({ type: 'idem.invalid', total: -1 }, 'fix-then-resend');
    expect(bad.status).toBe(400);
    const fixed = await create({ type: 'idem.invalid', total: 1 }, 'fix-then-resend');
    expect(fixed.status).toBe(201);
  });

  it('a browser may send the header: CORS preflights allow it and answers expose Idempotent-Replayed', async () => {
    const preflight = await fetch(`${server.url}/v1/jobs`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const created = await fetch(`${server.url}/v1/jobs`, { method: 'GET', headers: { origin: 'https://app.example', authorization: `Bearer ${server.adminKey}` } });
    expect(created.headers.get('access-control-expose-headers')).toContain('idempotent-replayed');
  });
});
