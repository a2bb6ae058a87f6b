import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { SYSTEM } from '../../src/service/actor.js';
import { signUserToken, TOKEN_SECRET } from '../http/fixtures.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { FAST_NOTIFY, runJob } from './support/notify-server.js';

interface Listed {
  items: Array<{ id: string; userId: string; type: string; channel: string; status: string; readAt: number | null; title: string | null }>;
}

describe('preferences, watches and the in-app feed', () => {
  let server: TestServer;
  let adaToken: string;
  const pushed: BusMessage[] = [];

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET, notify: { ...FAST_NOTIFY, milestones: { 'video.render': [10, 90] } } as never } });
    adaToken = await signUserToken('ada', Math.floor(Date.now() / 1000) + 600);
    server.headway.bus.subscribe((m) => void (m.type === 'notification' && pushed.push(m)));
  });
  afterAll(() => server.close());

  it('a user token reads and edits only its own preferences; the admin key any', async () => {
    const own = await server.request<{ timeZone: string; contacts: { webhook: { secret: string } } }>('PUT', '/v1/users/ada/preferences', {
      token: adaToken,
      body: { timeZone: 'Asia/Tokyo', contacts: { webhook: { url: 'https://hooks.example.test/ada' } } },
    });
    expect(own.status).toBe(200);
    expect(own.body.timeZone).toBe('Asia/Tokyo');
    expect(own.body.contacts.webhook.secret).toMatch(/^whsec_/);
    // Changing other fields keeps the generated secret.
    const again = await server.request<{ contacts: { webhook: { secret: string } } }>('PATCH', '/v1/users/ada/preferences', { token: adaToken, body: { quietHours: { start: '23:00', end: '06:30' } } });
    expect(again.body.contacts.webhook.secret).toBe(own.body.contacts.webhook.secret);
    // Off again: the tests below deliver to Ada at the wall clock's time, which may fall in 23:00-06:30 Tokyo.
    expect((await server.request('PATCH', '/v1/users/ada/preferences', { token: adaToken, body: { quietHours: null } })).status).toBe(200);
    const other = await server.request<{ error: { code: string } }>('GET', '/v1/users/bob/preferences', { token: adaToken });
    expect(other.status).toBe(403);
    expect((await server.request('PUT', '/v1/users/bob/preferences', { body: { channels: { email: false } } })).status).toBe(200);
  });

  it('rejects an unknown time zone and malformed contact points, saying what to fix', async () => {
    const zone = await server.request<{ error: { code: string; message: string } }>('PUT', '/v1/users/ada/preferences', { token: adaToken, body: { timeZone: 'Mars/Olympus' } });
    expect(zone.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(zone.body.error.message).toContain('IANA time zone');
    const phone = await server.request<{ error: { message: string } }>('PUT', '/v1/users/ada/preferences', { token: adaToken, body: { contacts: { phone: '555-1234' } } });
    expect(phone.body.error.message).toContain('contacts.phone');
  });

  it('a watcher of a job hears about it too, and milestones follow the job type setting', async () => {
    const job = await server.headway.jobs.create({ type: 'video.render', owner: 'carol', title: 'Teaser', total: 100 }, SYSTEM);
    const watch = await server.request('POST', '/v1/users/ada/watches', { token: adaToken, body: { jobId: job.id } });
    // Ada cannot see Carol's job with a user token: watching it would leak it.
    expect(watch.status).toBe(404);
    expect((await server.request('POST', '/v1/users/ada/watches', { body: { jobId: job.id } })).status).toBe(201);
    await server.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    await server.headway.jobs.report(job.id, { done: 50 }, SYSTEM);
    await server.headway.jobs.report(job.id, { done: 95 }, SYSTEM);
    await server.headway.notifier.flush();
    const milestones = await eventually(async () => {
      const res = await server.request<Listed>('GET', `/v1/notifications?type=job.milestone&jobId=${job.id}&status=sent`);
      return res.body.items.length === 4 ? res.body.items : null;
    });
    expect(milestones.map((n) => `${n.userId}:${n.title}`).sort()).toEqual(['ada:Teaser is 10% done', 'ada:Teaser is 90% done', 'carol:Teaser is 10% done', 'carol:Teaser is 90% done']);
  });

  it('in-app notifications are pushed live, counted unread, and marked read one by one or all at once', async () => {
    await runJob(server, 'dave', 'completed', { title: 'Backup' });
    const feed = await eventually(async () => {
      const res = await server.request<Listed>('GET', '/v1/notifications?user=dave&channel=in_app&status=sent');
      return res.body.items.length === 2 ? res.body.items : null;
    });
    // Each push goes out once its row's 'sent' write returned: the feed can list a row a moment before it is pushed.
    const davePushes = () => pushed.filter((m) => m.type === 'notification' && m.userId === 'dave');
    await eventually(() => davePushes().length >= 2, 15_000, 'both pushes');
    expect(davePushes()).toHaveLength(2);
    const daveToken = await signUserToken('dave', Math.floor(Date.now() / 1000) + 600);
    const count = () => server.request<{ count: number }>('GET', '/v1/notifications/unread-count', { token: daveToken });
    expect((await count()).body.count).toBe(2);
    const one = await server.request<{ changed: number; unread: number }>('POST', '/v1/notifications/read', { token: daveToken, body: { ids: [feed[0]!.id] } });
    expect(one.body).toMatchObject({ changed: 1, unread: 1 });
    const all = await server.request<{ changed: number; unread: number }>('POST', '/v1/notifications/read', { token: daveToken, body: {} });
    expect(all.body).toMatchObject({ changed: 1, unread: 0 });
    // Read state is kept apart from delivery state.
    const after = await server.request<Listed>('GET', '/v1/notifications?user=dave&channel=in_app', { token: daveToken });
    expect(after.body.items.every((n) => n.status === 'sent' && n.readAt !== null)).toBe(true);
    expect((await server.request('GET', '/v1/notifications?user=ada', { token: daveToken })).status).toBe(403);
  });

  it('the same event never produces the same notification twice, even when replayed', async () => {
    const job = await runJob(server, 'erin', 'completed');
    await server.headway.notifier.flush();
    const before = await server.request<Listed>('GET', `/v1/notifications?jobId=${job.id}`);
    // Replaying the job's events (as after a crash) hits the idempotency keys and adds nothing.
    const { store } = server.headway;
    const events = await store.jobs.events(job.id, 0, 100);
    const view = await server.headway.jobs.get(job.id, SYSTEM);
    for (const event of events) server.headway.bus.publish({ type: 'event', event, job: view });
    await server.headway.notifier.flush();
    const after = await server.request<Listed>('GET', `/v1/notifications?jobId=${job.id}`);
    expect(after.body.items.map((n) => n.id).sort()).toEqual(before.body.items.map((n) => n.id).sort());
    expect(before.body.items.length).toBeGreaterThan(0);
  });
});
