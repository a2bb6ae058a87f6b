import type { StreamMessage } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { streamPressureOf } from '../../src/http/stream/index.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTunedStreamApp } from './tuned-app.js';
import { eventSeqsOf, openSubscriber, transitionsOf, type Subscriber } from './ws-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Makes an event every subscriber of `jobs` and `user:bob` sees, and waits until they saw it. */
async function jobsRoundTrip(s: TestServer, subs: Subscriber[]): Promise<void> {
  const job = await s.headway.jobs.create({ type: 'marker', owner: 'bob' }, SYSTEM);
  for (const sub of subs) await sub.next('event', (m) => m.jobId === job.id);
}

const userToken = async (s: TestServer, sub: string) => (await s.request<{ token: string }>('POST', '/v1/tokens', { body: { sub } })).body.token;

describe('WebSocket stream', () => {
  it('answers a snapshot, then live events in seq order', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'live', steps: [{ name: 'a' }, { name: 'b' }] }, SYSTEM);
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.send({ type: 'subscribe', channel: `job:${job.id}` });
    const snapshot = await sub.next('snapshot');
    expect(snapshot).toMatchObject({ channel: `job:${job.id}`, seq: job.seq, jobs: [{ id: job.id, status: 'queued' }] });
    await jobs.report(job.id, { step: 'a' }, SYSTEM);
    await jobs.report(job.id, { step: 'b', done: 5, total: 10 }, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    await eventually(() => transitionsOf(sub.messages, job.id).includes('completed'));
    const stored = (await jobs.events(job.id, snapshot.seq, 100, SYSTEM)).map((e) => e.seq);
    expect(eventSeqsOf(sub.messages, job.id)).toEqual(stored);
    expect(transitionsOf(sub.messages, job.id)).toEqual(['running', 'completed']);
    expect(sub.messages[0]?.type).toBe('snapshot');
    sub.ws.close();
  });

  it('answers a ping with a pong, which browsers use to tell a live connection from a dead one', async () => {
    server = await startTestServer();
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.send({ type: 'ping' });
    expect(await sub.next('pong')).toEqual({ type: 'pong' });
  });

  it('on `jobs` an admin sees every job and a user token only its own jobs', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const alices = await jobs.create({ type: 'mine', owner: 'alice' }, SYSTEM);
    const bobs = await jobs.create({ type: 'theirs', owner: 'bob' }, SYSTEM);
    const admin = await openSubscriber(server.url, server.adminKey);
    const alice = await openSubscriber(server.url, await userToken(server, 'alice'));
    admin.send({ type: 'subscribe', channel: 'jobs' });
    alice.send({ type: 'subscribe', channel: 'jobs' });
    alice.send({ type: 'subscribe', channel: 'user:alice' });
    expect((await admin.next('snapshot')).jobs.map((j) => j.id).sort()).toEqual([alices.id, bobs.id].sort());
    expect((await alice.next('snapshot', (m) => m.channel === 'jobs')).jobs.map((j) => j.id)).toEqual([alices.id]);
    expect((await alice.next('snapshot', (m) => m.channel === 'user:alice')).jobs.map((j) => j.id)).toEqual([alices.id]);
    await jobs.act(bobs.id, 'start', {}, SYSTEM);
    await jobs.act(alices.id, 'start', {}, SYSTEM);
    await admin.next('event', (m) => m.jobId === alices.id);
    await alice.next('event', (m) => m.jobId === alices.id && m.channel === 'user:alice');
    await alice.next('event', (m) => m.jobId === alices.id && m.channel === 'jobs');
    expect(admin.messages.some((m) => m.type === 'event' && m.jobId === bobs.id)).toBe(true);
    expect(alice.messages.some((m) => m.type === 'event' && m.jobId === bobs.id)).toBe(false);
    admin.ws.close();
    alice.ws.close();
  });

  it('closes with 4401 without a valid token, and when the token is revoked before a resubscribe', async () => {
    server = await startTestServer();
    const job = await server.headway.jobs.create({ type: 'guarded' }, SYSTEM);
    expect((await (await openSubscriber(server.url, null)).closed).code).toBe(4401);
    expect((await (await openSubscriber(server.url, 'hw_nope_nope')).closed).code).toBe(4401);
    const created = await server.request<{ id: string; key: string }>('POST', '/v1/keys', { body: { name: 'watcher', scopes: ['jobs:read'] } });
    const sub = await openSubscriber(server.url, created.body.key);
    sub.send({ type: 'subscribe', channel: `job:${job.id}` });
    await sub.next('snapshot');
    expect((await server.request('DELETE', `/v1/keys/${created.body.id}`)).status).toBe(200);
    sub.send({ type: 'subscribe', channel: `job:${job.id}`, after: 0 });
    const closed = await sub.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toContain('revoked');
  });

  it('refuses channels the token may not follow with an error message and keeps the socket open', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const bobs = await jobs.create({ type: 'private', owner: 'bob' }, SYSTEM);
    const alices = await jobs.create({ type: 'private', owner: 'alice' }, SYSTEM);
    const alice = await openSubscriber(server.url, await userToken(server, 'alice'));
    alice.send({ type: 'subscribe', channel: `job:${bobs.id}` });
    alice.send({ type: 'subscribe', channel: 'user:bob' });
    alice.send({ type: 'subscribe', channel: 'everything' as never });
    alice.send({ type: 'subscribe', channel: `job:${alices.id}`, after: -1 });
    await eventually(() => alice.messages.filter((m) => m.type === 'error').length === 4);
    const codes = alice.messages.flatMap((m) => (m.type === 'error' ? [`${m.channel}:${m.code}`] : []));
    expect(codes.sort()).toEqual([`job:${alices.id}:VALIDATION_FAILED`, `job:${bobs.id}:JOB_NOT_FOUND`, 'everything:VALIDATION_FAILED', 'user:bob:FORBIDDEN'].sort());
    // A missing channel is named as missing, and a long one is not echoed whole.
    alice.send({ type: 'subscribe' } as never);
    alice.send({ type: 'subscribe', channel: `x${'y'.repeat(5_000)}` as never });
    await eventually(() => alice.messages.filter((m) => m.type === 'error').length === 6);
    // Subscribes are answered as each check finishes, not in the order sent: found by content.
    const messages = alice.messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));
    expect(messages.filter((m) => /^no channel given; use "job:<id>"/.test(m))).toHaveLength(1);
    const long = messages.find((m) => m.startsWith('unknown channel "xyyy'));
    expect(long!.length).toBeLessThan(250);
    alice.send({ type: 'subscribe', channel: `job:${alices.id}` });
    expect((await alice.next('snapshot')).jobs[0]?.id).toBe(alices.id);

    const writer = await server.request<{ key: string }>('POST', '/v1/keys', { body: { name: 'writer', scopes: ['jobs:write'] } });
    const writeOnly = await openSubscriber(server.url, writer.body.key);
    writeOnly.send({ type: 'subscribe', channel: 'jobs' });
    expect(await writeOnly.next('error')).toMatchObject({ code: 'FORBIDDEN', channel: 'jobs' });
    alice.ws.close();
    writeOnly.ws.close();
  });

  it('delivers in-app notifications to the user channel of their user only', async () => {
    server = await startTestServer();
    const alice = await openSubscriber(server.url, await userToken(server, 'alice'));
    const bob = await openSubscriber(server.url, await userToken(server, 'bob'));
    const admin = await openSubscriber(server.url, server.adminKey);
    alice.send({ type: 'subscribe', channel: 'user:alice' });
    alice.send({ type: 'subscribe', channel: 'jobs' });
    bob.send({ type: 'subscribe', channel: 'user:bob' });
    admin.send({ type: 'subscribe', channel: 'jobs' });
    await alice.next('snapshot', (m) => m.channel === 'jobs');
    await alice.next('snapshot', (m) => m.channel === 'user:alice');
    await bob.next('snapshot');
    await admin.next('snapshot');
    const notification = { id: 'n1', userId: 'alice', type: 'job.failed', jobId: null, readAt: null };
    // The shape the notify layer publishes on the bus (see BusMessage).
    server.headway.bus.publish({ type: 'notification', userId: 'alice', notification } as unknown as BusMessage);
    await eventually(() => alice.messages.some((m) => (m as StreamMessage).type === 'notification'));
    const received = (alice.messages as StreamMessage[]).filter((m) => m.type === 'notification');
    expect(received).toEqual([{ type: 'notification', channel: 'user:alice', notification }]);
    await jobsRoundTrip(server, [bob, admin]); // a later event reached them, so the notification would have too
    expect([...bob.messages, ...admin.messages].some((m) => (m as StreamMessage).type === 'notification')).toBe(false);
    for (const sub of [alice, bob, admin]) sub.ws.close();
  });

  it('terminates a peer that stops answering pings and counts live connections', async () => {
    server = await startTestServer();
    const tuned = await startTunedStreamApp(server.headway, { pingIntervalMs: 100 });
    try {
      const before = server.headway.stats.liveConnections;
      const sub = await openSubscriber(tuned.url, server.adminKey);
      await eventually(() => server!.headway.stats.liveConnections === before + 1);
      expect(streamPressureOf(tuned.app)?.connections).toBe(1);
      sub.pauseReading(); // a frozen peer: pings are not read, so no pong comes back
      await eventually(() => streamPressureOf(tuned.app)?.connections === 0, 5_000, 'the dead peer to be terminated');
      expect(server.headway.stats.liveConnections).toBe(before);
      sub.ws.terminate();
    } finally {
      await tuned.app.close();
    }
  });
});
