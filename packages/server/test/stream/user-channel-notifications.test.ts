import type { ServerMessage } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { SYSTEM } from '../../src/service/actor.js';
import { createKey } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse } from './sse-client.js';
import { openSubscriber } from './ws-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const mint = async (s: TestServer, key: string, sub: string) => (await s.request<{ token: string }>('POST', '/v1/tokens', { token: key, body: { sub } })).body.token;

/** Who follows user:alice, and whether REST lets them read alice's notifications (so the stream must too, and only then). */
async function followersOf(s: TestServer): Promise<Array<{ who: string; token: string; readsNotifications: boolean }>> {
  const jobsReader = (await createKey(s, ['jobs:read'])).key;
  const jobsKey = (await createKey(s, ['jobs:read', 'jobs:write'])).key;
  const notifyReader = (await createKey(s, ['jobs:read', 'notifications:admin'])).key;
  return [
    { who: 'a jobs:read key', token: jobsReader, readsNotifications: false },
    { who: "alice's token minted by a jobs-only key", token: await mint(s, jobsKey, 'alice'), readsNotifications: false },
    { who: 'a key with notifications:admin', token: notifyReader, readsNotifications: true },
    { who: 'the admin key', token: s.adminKey, readsNotifications: true },
    { who: "alice's own token", token: await mint(s, s.adminKey, 'alice'), readsNotifications: true },
  ];
}

/** An in-app notification for alice, then an update of one of her jobs: whoever saw the update would have seen the notification. */
async function notifyThenUpdate(s: TestServer): Promise<{ notification: unknown; jobId: string }> {
  const notification = { id: 'n-secret', userId: 'alice', type: 'job.failed', title: 'Payroll failed', text: 'card 4242', jobId: null, readAt: null };
  s.headway.bus.publish({ type: 'notification', userId: 'alice', notification } as unknown as BusMessage);
  const job = await s.headway.jobs.create({ type: 'marker', owner: 'alice' }, SYSTEM);
  return { notification, jobId: job.id };
}

describe('the user channel carries notifications only to those who may read them', () => {
  it('over WebSocket: job updates reach every follower, notifications only the user, admins and notification keys', async () => {
    server = await startTestServer();
    const s = server;
    const followers = await followersOf(s);
    // REST agrees on who may read alice's notifications.
    for (const f of followers) expect((await s.request('GET', '/v1/notifications?user=alice', { token: f.token })).status, f.who).toBe(f.readsNotifications ? 200 : 403);
    const subscribers = await Promise.all(followers.map(async (f) => ({ ...f, sub: await openSubscriber(s.url, f.token) })));
    for (const { sub } of subscribers) sub.send({ type: 'subscribe', channel: 'user:alice' });
    for (const { sub } of subscribers) await sub.next('snapshot', (m) => m.channel === 'user:alice');
    const { notification, jobId } = await notifyThenUpdate(s);
    for (const { who, sub, readsNotifications } of subscribers) {
      await sub.next('event', (m) => m.jobId === jobId);
      const received = sub.messages.filter((m) => m.type === 'notification');
      expect(received, who).toEqual(readsNotifications ? [{ type: 'notification', channel: 'user:alice', notification }] : []);
      sub.ws.close();
    }
  });

  it('over SSE: the same rule', async () => {
    server = await startTestServer();
    const s = server;
    const followers = await followersOf(s);
    const streams = await Promise.all(
      followers.map(async (f) => ({ ...f, stream: await openSse(`${s.url}/v1/stream/sse?channel=user%3Aalice`, { authorization: `Bearer ${f.token}` }) })),
    );
    for (const { who, stream } of streams) expect(stream.status, who).toBe(200);
    for (const { stream } of streams) await stream.next('snapshot');
    const { notification, jobId } = await notifyThenUpdate(s);
    for (const { who, stream, readsNotifications } of streams) {
      await stream.next('event', (m) => m.jobId === jobId);
      const received = stream.frames.flatMap((f) => (f.message?.type === 'notification' ? [f.message as ServerMessage] : []));
      expect(received, who).toEqual(readsNotifications ? [{ type: 'notification', channel: 'user:alice', notification }] : []);
      stream.stop();
    }
  });
});
