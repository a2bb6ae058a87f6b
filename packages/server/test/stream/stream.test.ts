import type { ServerMessage } from '@headway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSubscriber } from './ws-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const transitionsOf = (messages: ServerMessage[], jobId: string) =>
  messages.flatMap((m) => (m.type === 'event' && m.jobId === jobId && m.event.kind === 'transition' ? [m.event.to] : []));

describe('WebSocket stream', () => {
  it('answers a snapshot, then live events in seq order', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'live', steps: [{ name: 'a' }, { name: 'b' }] }, SYSTEM);
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${job.id}` }));
    await eventually(() => sub.messages.some((m) => m.type === 'snapshot'));
    await jobs.report(job.id, { step: 'a' }, SYSTEM);
    await jobs.report(job.id, { step: 'b', done: 5, total: 10 }, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    await eventually(() => transitionsOf(sub.messages, job.id).includes('completed'));
    const seqs = sub.messages.flatMap((m) => (m.type === 'event' ? [m.seq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(transitionsOf(sub.messages, job.id)).toEqual(['running', 'completed']);
    sub.ws.close();
  });

  it('resubscribing with `after` replays every missed transition, also for a client that saw nothing before (after=0)', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'resume' }, SYSTEM);
    const first = await openSubscriber(server.url, server.adminKey);
    first.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${job.id}` }));
    await eventually(() => first.messages.some((m) => m.type === 'snapshot'));
    const lastSeq = (first.messages.find((m) => m.type === 'snapshot') as { seq: number }).seq;
    first.ws.terminate(); // a cut, not a goodbye
    await jobs.act(job.id, 'start', {}, SYSTEM);
    for (let i = 0; i < 10; i++) {
      await jobs.act(job.id, 'pause', {}, SYSTEM); // request
      await jobs.act(job.id, 'pause', {}, SYSTEM); // acknowledgement
      await jobs.act(job.id, 'resume', {}, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
    }
    const second = await openSubscriber(server.url, server.adminKey);
    second.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${job.id}`, after: lastSeq }));
    const third = await openSubscriber(server.url, server.adminKey);
    third.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${job.id}`, after: 0 }));
    const expected = (await jobs.events(job.id, lastSeq, 1000, SYSTEM)).map((e) => e.seq);
    await eventually(() => second.messages.some((m) => m.type === 'snapshot'));
    await eventually(() => third.messages.some((m) => m.type === 'snapshot'));
    expect(second.messages.flatMap((m) => (m.type === 'event' ? [m.seq] : []))).toEqual(expected);
    expect(transitionsOf(third.messages, job.id)).toHaveLength(31); // start, then 10 × paused → queued → running
    second.ws.close();
    third.ws.close();
  });

  it('a client that missed more than can be replayed is told to resync with a snapshot', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'busy' }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    for (let i = 0; i < 1_100; i++) await jobs.report(job.id, { step: `step ${i}` }, SYSTEM);
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${job.id}`, after: 1 }));
    const resync = await eventually(() => sub.messages.find((m) => m.type === 'resync'));
    expect(resync).toMatchObject({ type: 'resync', jobs: [{ id: job.id }] });
    expect(sub.messages.some((m) => m.type === 'event')).toBe(false);
    sub.ws.close();
  });

  it('checks the token and the channel on every subscribe', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const bobs = await jobs.create({ type: 'private', owner: 'bob' }, SYSTEM);
    const noToken = await openSubscriber(server.url, null);
    expect((await noToken.closed).code).toBe(4401);
    const minted = await server.request<{ token: string }>('POST', '/v1/tokens', { body: { sub: 'alice' } });
    const alice = await openSubscriber(server.url, minted.body.token);
    alice.ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${bobs.id}` }));
    alice.ws.send(JSON.stringify({ type: 'subscribe', channel: 'user:bob' }));
    await eventually(() => alice.messages.filter((m) => m.type === 'error').length === 2);
    expect(alice.messages.map((m) => (m.type === 'error' ? m.code : m.type)).sort()).toEqual(['FORBIDDEN', 'JOB_NOT_FOUND']);
    alice.ws.close();
  });
});

describe('slow consumers', () => {
  it('a consumer that stops reading while 100k progress updates flow keeps server memory bounded, then catches up', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const job = await jobs.create({ type: 'flood', total: 1_000 }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      ids.push(job.id);
    }
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.ws.send(JSON.stringify({ type: 'subscribe', channel: 'jobs' }));
    await eventually(() => sub.messages.some((m) => m.type === 'snapshot'));
    const socket = (sub.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause(); // the client stops reading; the kernel buffers fill, then the server's
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let done = 1; done <= 1_000; done++) {
      await Promise.all(ids.map((id) => jobs.report(id, { done, message: `row ${done} of 1000 ${'x'.repeat(200)}` }, SYSTEM)));
      if (done % 50 === 0) await new Promise((r) => setTimeout(r, 15)); // let the announcer run
    }
    await jobs.act(ids[0]!, 'complete', {}, SYSTEM);
    await new Promise((r) => setTimeout(r, 200));
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`slow consumer: heap growth ${heapGrowthMb.toFixed(1)} MB after 100,000 updates to a paused reader`);
    expect(heapGrowthMb).toBeLessThan(150);
    socket.resume();
    // The reader gets the transition and the newest progress of every job, not a backlog.
    await eventually(() => transitionsOf(sub.messages, ids[0]!).includes('completed'), 30_000, 'the completion');
    await eventually(() => ids.slice(1).every((id) => sub.messages.some((m) => m.type === 'progress' && m.jobId === id && m.update.job.done === 1_000)), 30_000, 'newest progress');
    const progressCount = sub.messages.filter((m) => m.type === 'progress').length;
    console.log(`slow consumer: ${progressCount} progress messages delivered for 100,000 updates`);
    expect(progressCount).toBeLessThan(100_000);
    sub.ws.close();
  });
});

describe('SSE stream', () => {
  it('streams with ids and resumes from Last-Event-ID without missing a transition', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'sse' }, SYSTEM);
    const read = async (lastEventId?: string) => {
      const controller = new AbortController();
      const res = await fetch(`${server!.url}/v1/stream/sse?channel=job:${job.id}`, { headers: { authorization: `Bearer ${server!.adminKey}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      return {
        async until(predicate: (t: string) => boolean) {
          while (!predicate(text)) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
          return text;
        },
        stop: () => controller.abort(),
      };
    };
    const first = await read();
    const firstText = await first.until((t) => t.includes('"type":"snapshot"'));
    const lastId = /id: (\d+)/.exec(firstText)![1]!;
    first.stop();
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await jobs.act(job.id, 'complete', {}, SYSTEM);
    const second = await read(lastId);
    const text = await second.until((t) => t.includes('"type":"snapshot"'));
    second.stop();
    const events = [...text.matchAll(/"to":"(\w+)"/g)].map((m) => m[1]);
    expect(events).toEqual(['running', 'completed']);
    expect(text).toMatch(/id: 3\n/);
  });
});
