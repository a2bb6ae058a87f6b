import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse, type SseStream } from './sse-client.js';
import { startTunedStreamApp } from './tuned-app.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sse = (base: string, channel: string, headers: Record<string, string>) => openSse(`${base}/v1/stream/sse?channel=${encodeURIComponent(channel)}`, headers);
const transitions = (stream: SseStream) => stream.frames.flatMap((f) => (f.message?.type === 'event' && f.message.event.kind === 'transition' ? [f.message.event.to] : []));

describe('SSE stream', () => {
  it('streams a snapshot and events with ids, and resumes from Last-Event-ID without missing a transition', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'sse' }, SYSTEM);
    const auth = { authorization: `Bearer ${server.adminKey}` };
    const first = await sse(server.url, `job:${job.id}`, auth);
    expect(first.status).toBe(200);
    expect(first.contentType).toContain('text/event-stream');
    await first.next('snapshot');
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await first.next('event');
    const lastId = first.frames.filter((f) => f.id !== undefined).at(-1)!.id!;
    first.stop(); // the cut
    for (let i = 0; i < 5; i++) {
      await jobs.act(job.id, 'pause', {}, SYSTEM);
      await jobs.act(job.id, 'pause', {}, SYSTEM);
      await jobs.act(job.id, 'resume', {}, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
    }
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    const missed = await jobs.events(job.id, Number(lastId), 1_000, SYSTEM);

    const second = await sse(server.url, `job:${job.id}`, { ...auth, 'last-event-id': lastId });
    const snapshot = await second.next('snapshot');
    second.stop();
    const replayed = second.frames.filter((f) => f.message?.type === 'event');
    expect(replayed.map((f) => Number(f.id))).toEqual(missed.map((e) => e.seq)); // id: is the job's seq
    expect(transitions(second)).toEqual(missed.flatMap((e) => (e.kind === 'transition' ? [e.to] : [])));
    expect(transitions(second).at(-1)).toBe('completed');
    expect(snapshot.seq).toBe(missed.at(-1)!.seq);
  });

  it('on many-job channels the id is the event cursor, and Last-Event-ID resumes from it', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const auth = { authorization: `Bearer ${server.adminKey}` };
    const first = await sse(server.url, 'jobs', auth);
    const cut = (await first.next('snapshot')).seq;
    first.stop();
    const a = await jobs.create({ type: 'a' }, SYSTEM);
    const b = await jobs.create({ type: 'b' }, SYSTEM);
    await jobs.act(a.id, 'start', {}, SYSTEM);
    await jobs.act(b.id, 'cancel', {}, SYSTEM);
    const second = await sse(server.url, 'jobs', { ...auth, 'last-event-id': String(cut) });
    await second.next('snapshot');
    second.stop();
    const expected = (await server.headway.store.jobs.eventsSince(cut, 100)).map((e) => String(e.cursor));
    expect(second.frames.filter((f) => f.message?.type === 'event').map((f) => f.id)).toEqual(expected);
  });

  it('answers 401, 403, 404 and 400 before the stream starts, so EventSource does not retry', async () => {
    server = await startTestServer();
    const bobs = await server.headway.jobs.create({ type: 'private', owner: 'bob' }, SYSTEM);
    const token = (await server.request<{ token: string }>('POST', '/v1/tokens', { body: { sub: 'alice' } })).body.token;
    const alice = { authorization: `Bearer ${token}` };
    const cases: Array<[SseStream, number]> = [
      [await sse(server.url, `job:${bobs.id}`, {}), 401],
      [await sse(server.url, 'user:bob', alice), 403],
      [await sse(server.url, `job:${bobs.id}`, alice), 404],
      [await sse(server.url, 'user:alice', { ...alice, 'last-event-id': 'yesterday' }), 400],
      [await sse(server.url, 'nonsense', alice), 400],
    ];
    expect(cases.map(([stream]) => stream.status)).toEqual(cases.map(([, status]) => status));
  });

  it('sends heartbeat comments, counts live streams, and ends the open ones when the server closes', async () => {
    server = await startTestServer();
    const tuned = await startTunedStreamApp(server.headway, { sseHeartbeatMs: 50 });
    const auth = { authorization: `Bearer ${server.adminKey}` };
    try {
      const before = server.headway.stats.liveConnections;
      const stream = await sse(tuned.url, 'jobs', auth);
      await eventually(() => stream.frames.filter((f) => f.comments.includes('keep-alive')).length >= 2);
      expect(server.headway.stats.liveConnections).toBe(before + 1);
      stream.stop();
      await eventually(() => server!.headway.stats.liveConnections === before, 5_000, 'the count to drop');
      const left = await sse(tuned.url, 'jobs', auth);
      await left.next('snapshot');
      await tuned.app.close(); // would wait for the client forever if open streams were not ended
      await left.ended;
      expect(server.headway.stats.liveConnections).toBe(before);
    } finally {
      await tuned.app.close();
    }
  });
});
