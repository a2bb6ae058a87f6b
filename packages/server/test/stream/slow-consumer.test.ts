import type { BusMessage } from '../../src/bus/bus.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_OPTIONS } from '../../src/http/stream/options.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { memoryMb, pause, PressureSampler } from './memory.js';
import { openSse } from './sse-client.js';
import { startTunedStreamApp } from './tuned-app.js';
import { openSubscriber, transitionsOf } from './ws-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const JOBS = 100;
const UPDATES_PER_JOB = 1_000;

async function startedJobs(s: TestServer, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const job = await s.headway.jobs.create({ type: 'flood', total: UPDATES_PER_JOB }, SYSTEM);
    await s.headway.jobs.act(job.id, 'start', {}, SYSTEM);
    ids.push(job.id);
  }
  return ids;
}

/** A reader of the `jobs` channel that got its snapshot and then stopped reading. */
async function stalledReader(s: TestServer, transport: 'WebSocket' | 'SSE') {
  if (transport === 'WebSocket') {
    const sub = await openSubscriber(s.url, s.adminKey);
    sub.send({ type: 'subscribe', channel: 'jobs' });
    await sub.next('snapshot');
    sub.pauseReading();
    return { messages: () => sub.messages, resume: () => sub.resumeReading(), close: () => sub.ws.close() };
  }
  const stream = await openSse(`${s.url}/v1/stream/sse?channel=jobs`, { authorization: `Bearer ${s.adminKey}` });
  await stream.next('snapshot');
  stream.pauseReading();
  return { messages: () => stream.frames.flatMap((f) => (f.message ? [f.message] : [])), resume: () => stream.resumeReading(), close: () => stream.stop() };
}

describe('slow consumers', () => {
  it('a reader that stops while 100k progress reports flow costs bounded memory, then gets every transition and the newest progress', async () => {
    server = await startTestServer();
    const { jobs, bus } = server.headway;
    const ids = await startedJobs(server, JOBS);
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.send({ type: 'subscribe', channel: 'jobs' });
    await sub.next('snapshot');
    let announced = 0;
    let durable = 0; // milestones at 25/50/75 % and the completion
    const stopCounting = bus.subscribe((m) => void (m.type === 'progress' ? announced++ : durable++));
    sub.pauseReading(); // the kernel buffers fill, then the server's
    const sampler = new PressureSampler(server.app);
    const before = memoryMb();
    for (let done = 1; done <= UPDATES_PER_JOB; done++) {
      // Long messages (the most a report may carry), so the kernel's socket buffers fill soon.
      await Promise.all(ids.map((id) => jobs.report(id, { done, message: `row ${done} of ${UPDATES_PER_JOB} ${'x'.repeat(1_900)}` }, SYSTEM)));
      if (done % 10 === 0) {
        await pause(12); // lets the announcer and the outbox run, as a live server's event loop would
        sampler.sample();
      }
    }
    await jobs.act(ids[0]!, 'complete', {}, SYSTEM);
    await pause(100);
    sampler.sample();
    const after = memoryMb();
    stopCounting();
    console.log(
      `slow consumer (service path): ${JOBS * UPDATES_PER_JOB} reports → ${announced} coalesced announcements and ${durable} durable events; ` +
        `max queue ${sampler.maxPendingMessages} messages, max socket backlog ${(sampler.maxBufferedBytes / 1024).toFixed(0)} KiB, ` +
        `heap ${(after.heap - before.heap).toFixed(1)} MB, RSS ${(after.rss - before.rss).toFixed(1)} MB growth`,
    );
    expect(announced).toBeGreaterThan(DEFAULT_STREAM_OPTIONS.maxPendingEvents); // enough to overflow an unconflated queue
    expect(sampler.maxPendingMessages).toBeLessThanOrEqual(JOBS + durable); // one progress per job, and the durable events
    expect(sampler.maxBufferedBytes).toBeLessThan(DEFAULT_STREAM_OPTIONS.highWaterBytes + 65_536);
    expect(after.heap - before.heap).toBeLessThan(50);

    sub.resumeReading();
    await eventually(() => transitionsOf(sub.messages, ids[0]!).includes('completed'), 30_000, 'the completion');
    await eventually(() => ids.slice(1).every((id) => sub.messages.some((m) => m.type === 'progress' && m.jobId === id && m.update.job.done === UPDATES_PER_JOB)), 30_000, 'the newest progress of every job');
    const delivered = sub.messages.filter((m) => m.type === 'progress').length;
    console.log(`slow consumer (service path): ${delivered} progress messages delivered for ${JOBS * UPDATES_PER_JOB} reports`);
    expect(delivered).toBeLessThan(announced);
    expect(sub.messages.some((m) => m.type === 'resync')).toBe(false); // conflation alone kept it within bounds
    sub.ws.close();
  });

  for (const transport of ['WebSocket', 'SSE'] as const) {
    it(`100k progress messages on the bus to a stalled ${transport} reader stay conflated to one per job`, async () => {
      server = await startTestServer();
      const { jobs, bus } = server.headway;
      const ids = await startedJobs(server, JOBS);
      const reader = await stalledReader(server, transport);
      const template = await jobs.get(ids[0]!, SYSTEM);
      const sampler = new PressureSampler(server.app);
      const before = memoryMb();
      for (let done = 1; done <= UPDATES_PER_JOB; done++) {
        for (const jobId of ids) {
          const update = { jobId, seq: template.seq, at: Date.now(), job: { ...template, done, percent: done / 10, message: `row ${done} ${'x'.repeat(1_500)}`, updatedAt: Date.now() } };
          bus.publish({ type: 'progress', owner: null, parentId: null, update } satisfies BusMessage);
        }
        if (done % 10 === 0) {
          await pause(5);
          sampler.sample();
        }
      }
      await pause(50);
      sampler.sample();
      const after = memoryMb();
      console.log(
        `slow consumer (bus path, ${transport}): ${JOBS * UPDATES_PER_JOB} progress messages; max queue ${sampler.maxPendingMessages}, ` +
          `max socket backlog ${(sampler.maxBufferedBytes / 1024).toFixed(0)} KiB, heap ${(after.heap - before.heap).toFixed(1)} MB, RSS ${(after.rss - before.rss).toFixed(1)} MB growth`,
      );
      expect(sampler.maxPendingMessages).toBeLessThanOrEqual(JOBS);
      expect(sampler.maxBufferedBytes).toBeGreaterThan(0); // the reader really was behind
      expect(sampler.maxBufferedBytes).toBeLessThan(DEFAULT_STREAM_OPTIONS.highWaterBytes + 65_536);
      expect(after.heap - before.heap).toBeLessThan(30); // 100k queued messages would be ~170 MB

      reader.resume();
      const progress = () => reader.messages().filter((m) => m?.type === 'progress');
      await eventually(() => ids.every((id) => progress().some((m) => m.jobId === id && m.update.job.done === UPDATES_PER_JOB)), 30_000, 'the newest progress of every job');
      console.log(`slow consumer (bus path, ${transport}): ${progress().length} of ${JOBS * UPDATES_PER_JOB} progress messages delivered`);
      expect(progress().length).toBeLessThan(JOBS * UPDATES_PER_JOB);
      reader.close();
    });
  }

  it('a reader whose queue of durable events overflows is told to resync once it reads again, and loses nothing silently', async () => {
    server = await startTestServer();
    const tuned = await startTunedStreamApp(server.headway, { maxPendingEvents: 100, highWaterBytes: 65_536 });
    try {
      const { jobs } = server.headway;
      const watched = await jobs.create({ type: 'watched' }, SYSTEM);
      const sub = await openSubscriber(tuned.url, server.adminKey);
      sub.send({ type: 'subscribe', channel: 'jobs' });
      const first = await sub.next('snapshot');
      sub.pauseReading();
      const sampler = new PressureSampler(tuned.app);
      const blob = 'x'.repeat(4_000); // each event carries its job: ~5 KB, so the socket fills fast
      for (let round = 0; round < 60 && sampler.sample().overflows === 0; round++) {
        await jobs.create({ type: 'bulk', metadata: { blob }, children: Array.from({ length: 200 }, () => ({ type: 'item', metadata: { blob } })) }, SYSTEM);
        await pause(10);
      }
      expect(sampler.sample().overflows).toBe(1);
      await jobs.act(watched.id, 'start', {}, SYSTEM); // while the channel is dropped: the resync must show it
      const sent = (await server.headway.store.jobs.latestCursor()) - first.seq;
      console.log(`overflow: after ${sent} events to a stalled reader, 1 overflow; max socket backlog ${(sampler.maxBufferedBytes / 1024).toFixed(0)} KiB (high water 64 KiB)`);
      expect(sampler.maxPendingMessages).toBeLessThanOrEqual(101);
      expect(sampler.maxBufferedBytes).toBeLessThan(65_536 + 16_384);

      sub.resumeReading();
      const resync = await sub.next('resync');
      expect(resync.reason).toContain('too far behind');
      // The start happened while the channel was dropped: the resync shows it, or (when the
      // socket drained before the start) it follows the resync as a live event.
      const index = sub.messages.indexOf(resync);
      if (resync.jobs.find((j) => j.id === watched.id)?.status !== 'running') {
        const started = await sub.next('event', (m) => m.jobId === watched.id && m.event.kind === 'transition' && m.event.to === 'running', index);
        expect(started.cursor).toBeGreaterThan(resync.seq);
      }
      // Before the resync: an unbroken run of cursors from the snapshot on; after it: only newer events.
      const cursorsBefore = sub.messages.slice(0, index).flatMap((m) => (m.type === 'event' ? [m.cursor!] : []));
      expect(cursorsBefore[0]).toBe(first.seq + 1);
      expect(cursorsBefore).toEqual(cursorsBefore.map((_, i) => first.seq + 1 + i));
      await jobs.act(watched.id, 'complete', {}, SYSTEM);
      const completed = await sub.next('event', (m) => m.jobId === watched.id, index);
      expect(completed.cursor).toBeGreaterThan(resync.seq);
      sub.ws.close();
    } finally {
      await tuned.app.close();
    }
  });
});
