import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

/** A polling watcher kept out while a job makes many events, then let back: what does it receive? */
describe('polling catch-up after a gap', () => {
  const live = liveServerPerSuite();
  let proxy: TcpProxy;
  let watcher: HeadwayClient;

  beforeAll(async () => {
    proxy = await new TcpProxy(() => live.server.port).start();
    watcher = createClient({ url: proxy.url, token: live.server.adminKey, transports: ['polling'], reconnect: { baseMs: 50, maxMs: 400 }, pollIntervalMs: 200 });
  });
  afterAll(async () => {
    watcher.close();
    await proxy.stop();
  });

  /** Watches a new job by polling, cuts the watcher off, makes about `steps`×2 events, lets it back. */
  async function gap(steps: number) {
    const job = await live.admin.createJob({ type: 'poll-gap' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot by polling', () => recorder.latest?.job);
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    // Two events a step change; a job has at most 200 steps, so the names come round again.
    for (let i = 0; i < steps; i++) await live.admin.reportProgress(job.id, { step: `step-${i % 100}` });
    await live.admin.pause(job.id);
    const missed = (await eventsAfter(job.id, job.seq)).map((event) => event.seq);
    proxy.unblock();
    await waitFor('the state after the gap', () => recorder.latest?.job?.seq === missed.at(-1));
    return { job, recorder, missed };
  }

  async function eventsAfter(jobId: string, after: number) {
    const events = [];
    for (let page = await live.admin.events(jobId, { after, limit: 1_000 }); page.length > 0; page = await live.admin.events(jobId, { after: page.at(-1)!.seq, limit: 1_000 })) events.push(...page);
    return events;
  }

  it('replays every event missed (300, more than one page of the events route), in order, with no resync', async () => {
    const { recorder, missed } = await gap(150);
    expect(missed.length).toBeGreaterThan(250);
    expect(recorder.seqs(recorder.latest!.job!.id)).toEqual(missed);
    expect(recorder.updates.map((update) => update.cause)).not.toContain('resync');
    recorder.stop();
  });

  it('resyncs, as the stream does, when more than 1,000 events were missed, then follows live again', async () => {
    const { job, recorder, missed } = await gap(520);
    expect(missed.length).toBeGreaterThan(1_000);
    expect(recorder.updates.map((update) => update.cause)).toContain('resync');
    expect(recorder.seqs(job.id)).toEqual([]);
    await live.admin.complete(job.id);
    await waitFor('the completion, live', () => recorder.latest?.job?.status === 'completed');
    expect(recorder.transitions()).toEqual(['running→completed']);
    recorder.stop();
  });
});
