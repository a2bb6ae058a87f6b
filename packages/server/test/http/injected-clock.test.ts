import type { TypeAnalyticsAnswer } from '@headway/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeJob } from '../store/fixtures.js';
import { FAST_NOTIFY, runJob } from '../notify/support/notify-server.js';
import type { ErrorAnswer } from './fixtures.js';

/** Years before the wall clock, on a whole second: a route that reads Date.now() cannot pass by accident. */
const T = Date.UTC(2021, 2, 4, 9, 30);
const HOUR = 3_600_000;

type KeyView = { id: string; createdAt: number; revokedAt: number | null };
type Listed = { items: Array<{ id: string; status: string; readAt: number | null; seenAt: number | null }> };

/** Every HTTP route that stamps or compares a time uses the node's clock (createHeadway({ now })), in process. */
describe('HTTP routes read the injected clock, not the wall clock', () => {
  let server: TestServer;
  let at = T;

  beforeAll(async () => {
    server = await startTestServer({ config: { notify: FAST_NOTIFY as never }, headway: { now: () => at } });
  });
  beforeEach(() => {
    at = T;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => server.close());

  async function call<B>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: { token?: string; body?: object } = {}): Promise<{ status: number; body: B }> {
    const res = await server.app.inject({ method, url, headers: { authorization: `Bearer ${options.token ?? server.adminKey}` }, ...(options.body ? { payload: options.body } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as B };
  }

  it('a user token minted for 60 s at T is accepted at T+59 s and refused with 401 at T+61 s', async () => {
    const minted = await call<{ token: string; expiresAt: number }>('POST', '/v1/tokens', { body: { sub: 'ada', ttlSeconds: 60 } });
    expect(minted.status).toBe(201);
    expect(minted.body.expiresAt).toBe(T + 60_000);

    at = T + 59_000;
    expect((await call('GET', '/v1/jobs', { token: minted.body.token })).status).toBe(200);
    at = T + 61_000;
    const expired = await call<ErrorAnswer>('GET', '/v1/jobs', { token: minted.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain(`expired at ${new Date(T + 60_000).toISOString()}`);
  });

  it('a user token lives at least as long as asked, though JWT times are whole seconds', async () => {
    at = T + 999;
    const minted = await call<{ token: string; expiresAt: number }>('POST', '/v1/tokens', { body: { sub: 'ada', ttlSeconds: 1 } });
    expect(minted.body.expiresAt).toBe(T + 2_000);
    at = T + 1_500;
    expect((await call('GET', '/v1/jobs', { token: minted.body.token })).status).toBe(200);
    at = T;
  });

  it('an API key is created and revoked at the injected time', async () => {
    const created = await call<KeyView>('POST', '/v1/keys', { body: { name: 'worker', scopes: ['jobs:read'] } });
    expect(created.body.createdAt).toBe(T);
    at = T + 5_000;
    const revoked = await call<KeyView>('DELETE', `/v1/keys/${created.body.id}`);
    expect(revoked.body).toMatchObject({ createdAt: T, revokedAt: T + 5_000 });
    const listed = await call<{ items: KeyView[] }>('GET', '/v1/keys');
    expect(listed.body.items.find((k) => k.id === created.body.id)).toMatchObject({ createdAt: T, revokedAt: T + 5_000 });
  });

  it('saving preferences and muting or unmuting a job stamp the stored preferences with the injected time', async () => {
    // updated_at is not in any answer: watch what the routes hand the store (the real store still runs).
    const update = vi.spyOn(server.headway.store.notifications, 'updatePreferences');
    expect((await call('PUT', '/v1/users/bea/preferences', { body: { timeZone: 'Europe/Paris' } })).status).toBe(200);
    at = T + 1_000;
    expect((await call('PUT', '/v1/users/bea/muted-jobs/job-1')).status).toBe(200);
    at = T + 2_000;
    expect((await call('DELETE', '/v1/users/bea/muted-jobs/job-1')).status).toBe(200);
    expect(update.mock.calls.map((args) => args[2])).toEqual([T, T + 1_000, T + 2_000]);
  });

  it('a watch is created at the injected time', async () => {
    expect((await call('POST', '/v1/users/cyd/watches', { body: { jobType: 'video.render' } })).status).toBe(201);
    const watches = await call<{ items: Array<{ jobType: string; createdAt: number }> }>('GET', '/v1/users/cyd/watches');
    expect(watches.body.items).toEqual([{ jobType: 'video.render', createdAt: T }]);
  });

  it('in-app notifications are marked seen and read at the injected time', async () => {
    await runJob(server, 'dave', 'completed');
    await server.headway.notifier.flush();
    // Seen and read apply to delivered items only: wait until every one of them went out.
    await eventually(async () => {
      const { items } = (await call<Listed>('GET', '/v1/notifications?user=dave&channel=in_app')).body;
      return items.length > 0 && items.every((item) => item.status === 'sent');
    }, 15_000, "dave's in-app notifications to be delivered");
    at = T + 10_000;
    expect((await call<{ changed: number }>('POST', '/v1/notifications/seen', { body: { user: 'dave' } })).body.changed).toBeGreaterThan(0);
    at = T + 20_000;
    expect((await call<{ changed: number }>('POST', '/v1/notifications/read', { body: { user: 'dave' } })).body.changed).toBeGreaterThan(0);
    const feed = await call<Listed>('GET', '/v1/notifications?user=dave&channel=in_app');
    expect(feed.body.items.map(({ seenAt, readAt }) => ({ seenAt, readAt }))).toEqual(feed.body.items.map(() => ({ seenAt: T + 10_000, readAt: T + 20_000 })));
  });

  it('analytics without "to" end at the injected time, a week after "from"', async () => {
    const finishedAt = (at: number) =>
      makeJob({ type: 'clocked', status: 'completed', createdAt: at - 2_000, startedAt: at - 1_000, finishedAt: at, updatedAt: at });
    // One inside the default week before T, one before it and one after T: only the first counts.
    await server.headway.store.jobs.insert([finishedAt(T - HOUR), finishedAt(T - 8 * 24 * HOUR), finishedAt(T + HOUR)], T - 8 * 24 * HOUR);
    const res = await call<TypeAnalyticsAnswer>('GET', '/v1/analytics/types');
    expect(res.status).toBe(200);
    expect(res.body.types.find((t) => t.type === 'clocked')).toMatchObject({ finished: 1, completed: 1 });
  });
});
