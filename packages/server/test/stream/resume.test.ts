import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/bus/bus.js';
import { LocalBus } from '../../src/bus/local-bus.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sqliteStoreWithSlowEventReads } from './slow-reads.js';
import { startTunedStreamApp } from './tuned-app.js';
import { eventSeqsOf, openSubscriber, transitionsOf, type Subscriber } from './ws-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Resume point a client would keep: the highest seq (job channel) or cursor it has seen. */
function lastPositionOf(sub: Subscriber, single: boolean): number {
  let position = 0;
  for (const m of sub.messages) {
    if (m.type === 'snapshot' || m.type === 'resync') position = Math.max(position, m.seq);
    if (m.type === 'event') position = Math.max(position, single ? m.seq : (m.cursor ?? 0));
  }
  return position;
}

describe('resume', () => {
  it('after a forced disconnect, resubscribing with `after` replays every missed event, then the newest state', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const job = await jobs.create({ type: 'resume' }, SYSTEM);
    const first = await openSubscriber(server.url, server.adminKey);
    first.send({ type: 'subscribe', channel: `job:${job.id}` });
    await first.next('snapshot');
    await jobs.act(job.id, 'start', {}, SYSTEM);
    await first.next('event', (m) => m.event.kind === 'transition');
    const cut = lastPositionOf(first, true);
    first.ws.terminate(); // a cut, not a goodbye
    for (let i = 0; i < 5; i++) {
      await jobs.act(job.id, 'pause', {}, SYSTEM); // request
      await jobs.act(job.id, 'pause', {}, SYSTEM); // acknowledgement
      await jobs.act(job.id, 'resume', {}, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
    }
    for (let i = 0; i < 5; i++) await jobs.report(job.id, { step: `part ${i}`, done: i, total: 5 }, SYSTEM);
    const missed = await jobs.events(job.id, cut, 1_000, SYSTEM);
    expect(missed.filter((e) => e.kind === 'transition').length).toBeGreaterThanOrEqual(15);

    const second = await openSubscriber(server.url, server.adminKey);
    second.send({ type: 'subscribe', channel: `job:${job.id}`, after: cut });
    const snapshot = await second.next('snapshot');
    expect(eventSeqsOf(second.messages, job.id)).toEqual(missed.map((e) => e.seq));
    // The newest state comes after the replay; only live progress (the announcer's) may follow it.
    const snapshotAt = second.messages.indexOf(snapshot);
    expect(second.messages.slice(0, snapshotAt).filter((m) => m.type === 'event')).toHaveLength(missed.length);
    expect(second.messages.slice(snapshotAt + 1).filter((m) => m.type !== 'progress')).toEqual([]);
    expect(snapshot.seq).toBe(missed.at(-1)!.seq);

    // A client that had received nothing before the cut asks from zero and gets the whole history.
    const fresh = await openSubscriber(server.url, server.adminKey);
    fresh.send({ type: 'subscribe', channel: `job:${job.id}`, after: 0 });
    await fresh.next('snapshot');
    const all = await jobs.events(job.id, 0, 1_000, SYSTEM);
    expect(eventSeqsOf(fresh.messages, job.id)).toEqual(all.map((e) => e.seq));
    expect(transitionsOf(fresh.messages, job.id)).toEqual(all.flatMap((e) => (e.kind === 'transition' ? [e.to] : [])));
    second.ws.close();
    fresh.ws.close();
  });

  // With Redis, a node hears even its own events a round trip after their commit.
  it('an event committed while the catch-up reads, and heard on the bus only after it, is replayed', async () => {
    const local = new LocalBus((error) => {
      throw error;
    });
    const roundTrip: Bus = { publish: (message) => void setTimeout(() => local.publish(message), 200), subscribe: (listener) => local.subscribe(listener), close: () => local.close() };
    server = await startTestServer({ headway: { bus: roundTrip } });
    const { jobs, store } = server.headway;
    const job = await jobs.create({ type: 'between-reads' }, SYSTEM);
    await jobs.act(job.id, 'start', {}, SYSTEM);
    const cut = (await jobs.get(job.id, SYSTEM)).seq;
    // The pause request commits after the catch-up read the missed events and before it reads the job.
    const readEvents = store.jobs.events.bind(store.jobs);
    let pauseBetweenReads = true;
    store.jobs.events = async (...args) => {
      const read = await readEvents(...args);
      if (pauseBetweenReads) {
        pauseBetweenReads = false;
        await jobs.act(job.id, 'pause', {}, SYSTEM);
      }
      return read;
    };
    const sub = await openSubscriber(server.url, server.adminKey);
    sub.send({ type: 'subscribe', channel: `job:${job.id}`, after: cut - 1 });
    const snapshot = await sub.next('snapshot');
    await new Promise((resolve) => setTimeout(resolve, 400)); // the pause's bus message has come and gone
    const all = await readEvents(job.id, cut - 1, 100);
    expect(snapshot.seq).toBe(all.at(-1)!.seq);
    expect(eventSeqsOf(sub.messages, job.id)).toEqual(all.map((event) => event.seq));
    sub.ws.close();
  });

  it('resubscribing while events keep flowing delivers each event exactly once and in order', async () => {
    const slow = await sqliteStoreWithSlowEventReads(3);
    try {
      server = await startTestServer({ headway: { store: slow.store } });
      const { jobs } = server.headway;
      const job = await jobs.create({ type: 'flowing' }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      // A controller acting over HTTP (pause request and acknowledgement, resume, start), so its
      // writes land between the server's catch-up reads.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < 75; i++) {
          for (const action of ['pause', 'pause', 'resume', 'start']) await server!.request('POST', `/v1/jobs/${job.id}/${action}`, { body: {} });
        }
        await jobs.act(job.id, 'complete', {}, SYSTEM);
        writing = false;
      })();
      // Resubscribe from many points while the writer runs, so catch-ups overlap live events.
      const subscribers: Array<{ sub: Subscriber; afterSeq: number; afterCursor: number }> = [];
      while (writing && subscribers.length < 30) {
        const afterSeq = Math.max(0, (await jobs.get(job.id, SYSTEM)).seq - 5);
        const afterCursor = Math.max(0, (await server.headway.store.jobs.latestCursor()) - 5);
        const sub = await openSubscriber(server.url, server.adminKey);
        sub.send({ type: 'subscribe', channel: `job:${job.id}`, after: afterSeq });
        sub.send({ type: 'subscribe', channel: 'jobs', after: afterCursor });
        subscribers.push({ sub, afterSeq, afterCursor });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await writer;
      expect(subscribers.length).toBeGreaterThan(5);
      for (const { sub, afterSeq, afterCursor } of subscribers) {
        await eventually(() => sub.messages.filter((m) => m.type === 'event' && m.event.kind === 'transition' && m.event.to === 'completed').length === 2, 20_000, 'the completion on both channels');
        const expectedSeqs = (await jobs.events(job.id, afterSeq, 5_000, SYSTEM)).map((e) => e.seq);
        const expectedCursors = (await server.headway.store.jobs.eventsSince(afterCursor, 5_000)).map((e) => e.cursor);
        expect(sub.messages.flatMap((m) => (m.type === 'event' && m.channel === `job:${job.id}` ? [m.seq] : []))).toEqual(expectedSeqs);
        expect(sub.messages.flatMap((m) => (m.type === 'event' && m.channel === 'jobs' ? [m.cursor] : []))).toEqual(expectedCursors);
        sub.ws.close();
      }
    } finally {
      await server?.close();
      server = undefined;
      slow.cleanup();
    }
  });

  it('user and jobs channels resume from the event cursor with only the events of visible jobs', async () => {
    server = await startTestServer();
    const { jobs } = server.headway;
    const alices = await jobs.create({ type: 'mine', owner: 'alice' }, SYSTEM);
    const bobs = await jobs.create({ type: 'theirs', owner: 'bob' }, SYSTEM);
    const token = (await server.request<{ token: string }>('POST', '/v1/tokens', { body: { sub: 'alice' } })).body.token;
    const first = await openSubscriber(server.url, token);
    first.send({ type: 'subscribe', channel: 'user:alice' });
    const cut = (await first.next('snapshot')).seq;
    first.ws.terminate();
    for (const id of [alices.id, bobs.id]) {
      await jobs.act(id, 'start', {}, SYSTEM);
      await jobs.report(id, { step: 'load' }, SYSTEM);
      await jobs.act(id, 'fail', { error: { message: 'disk full' } }, SYSTEM);
    }
    const second = await openSubscriber(server.url, token);
    second.send({ type: 'subscribe', channel: 'user:alice', after: cut });
    second.send({ type: 'subscribe', channel: 'jobs', after: cut });
    await second.next('snapshot', (m) => m.channel === 'user:alice');
    await second.next('snapshot', (m) => m.channel === 'jobs');
    const expected = (await server.headway.store.jobs.eventsSince(cut, 1_000, 'alice')).map((e) => e.cursor);
    for (const channel of ['user:alice', 'jobs']) {
      const cursors = second.messages.flatMap((m) => (m.type === 'event' && m.channel === channel ? [m.cursor] : []));
      expect(cursors).toEqual(expected);
    }
    expect(second.messages.some((m) => m.type === 'event' && m.jobId === bobs.id)).toBe(false);
    const alicesTransitions = (await jobs.events(alices.id, 0, 100, SYSTEM)).flatMap((e) => (e.kind === 'transition' ? [e.to] : []));
    expect(transitionsOf(second.messages, alices.id)).toEqual([...alicesTransitions, ...alicesTransitions]); // once per channel
    second.ws.close();
  });

  it('a client that missed more than can be replayed is told to resync with a snapshot, on every kind of channel', async () => {
    server = await startTestServer();
    const tuned = await startTunedStreamApp(server.headway, { replayLimit: 20 });
    try {
      const { jobs } = server.headway;
      const job = await jobs.create({ type: 'busy' }, SYSTEM);
      await jobs.act(job.id, 'start', {}, SYSTEM);
      for (let i = 0; i < 30; i++) await jobs.report(job.id, { step: `step ${i}` }, SYSTEM);
      const sub = await openSubscriber(tuned.url, server.adminKey);
      sub.send({ type: 'subscribe', channel: `job:${job.id}`, after: 2 });
      sub.send({ type: 'subscribe', channel: 'jobs', after: 0 });
      const resync = await sub.next('resync', (m) => m.channel === `job:${job.id}`);
      expect(resync).toMatchObject({ seq: (await jobs.get(job.id, SYSTEM)).seq, jobs: [{ id: job.id, currentStep: 'step 29' }] });
      expect(resync.reason).toContain('more than 20 events');
      expect((await sub.next('resync', (m) => m.channel === 'jobs')).seq).toBe(await server.headway.store.jobs.latestCursor());
      expect(sub.messages.some((m) => m.type === 'event' || m.type === 'snapshot')).toBe(false);
      // A resume point this server never gave out (another database) is answered with a resync too.
      sub.send({ type: 'subscribe', channel: 'user:nobody', after: 1_000_000 });
      expect((await sub.next('resync', (m) => m.channel === 'user:nobody')).reason).toContain('ahead of this server');
      // The resync's seq is a resume point like any other: nothing missed since, nothing replayed.
      await jobs.act(job.id, 'complete', {}, SYSTEM);
      await sub.next('event', (m) => m.channel === `job:${job.id}` && m.event.kind === 'transition');
      sub.ws.close();
    } finally {
      await tuned.app.close();
    }
  });
});
