import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ConnectionState, type HeadwayClient } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

/** Drives a reported job through failed → queued → running while the watcher is cut off. */
async function transitionsWhileAway(admin: HeadwayClient, jobId: string): Promise<void> {
  await admin.fail(jobId, { message: 'disk full', code: 'ENOSPC' }, { retry: false });
  await admin.retry(jobId);
  await admin.start(jobId);
}

describe('reconnect and resume', () => {
  const live = liveServerPerSuite();
  let proxy: TcpProxy;
  let watcher: HeadwayClient;
  const states: ConnectionState[] = [];

  beforeAll(async () => {
    proxy = await new TcpProxy(() => live.server.port).start();
    watcher = createClient({ url: proxy.url, token: live.server.adminKey, reconnect: { baseMs: 50, maxMs: 400 } });
    watcher.connection.subscribe((state) => states.push(state));
  });
  afterAll(async () => {
    watcher.close();
    await proxy.stop();
  });

  it('after a forced disconnect it reconnects by itself and misses no transition', async () => {
    const job = await live.admin.createJob({ type: 'resume-test', total: 100 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot', () => recorder.latest?.job);
    await live.admin.reportProgress(job.id, { done: 10 });
    await waitFor('the job running', () => recorder.latest?.job?.status === 'running');

    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    await transitionsWhileAway(live.admin, job.id);
    // Keep it out for a few failed attempts, so backoff is exercised, then let it back.
    await waitFor('a few failed attempts', () => watcher.connection.get().attempt >= 3);
    proxy.unblock();
    await waitFor('the state after the outage', () => recorder.transitions().length === 4);
    await live.admin.complete(job.id, { ok: true });
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');

    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued', 'queued→running', 'running→completed']);
    const seqs = recorder.seqs(job.id);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(states.map((s) => s.status)).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting']));
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'websocket', attempt: 0 });
    recorder.stop();
  });

  it('a channel of many jobs resumes by cursor: jobs created while away arrive with their events', async () => {
    const recorder = new WatchRecorder(watcher, 'jobs');
    await waitFor('the jobs snapshot', () => recorder.latest);
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    const created = await live.admin.createJob({ type: 'while-away' });
    await live.admin.start(created.id);
    await live.admin.complete(created.id);
    proxy.unblock();
    await waitFor('the job created while away', () => recorder.latest?.jobs.find((j) => j.id === created.id)?.status === 'completed');
    expect(recorder.transitions(created.id)).toEqual(['queued→running', 'running→completed']);
    recorder.stop();
  });

  it('a job that finished while the watcher was away is never shown finished at its old progress', async () => {
    const job = await live.admin.createJob({ type: 'finished-away', total: 600, unit: 'rows' });
    await live.admin.reportProgress(job.id, { done: 181 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the job at 181 rows', () => recorder.latest?.job?.done === 181);
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    await live.admin.reportProgress(job.id, { done: 600 });
    await live.admin.complete(job.id);
    proxy.unblock();
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');
    // The replayed completion carries no progress; it comes with the newest state, in one update.
    const finished = recorder.updates.filter((update) => update.job?.status === 'completed');
    expect(finished.map((update) => ({ done: update.job!.done, percent: update.job!.percent }))).toEqual(finished.map(() => ({ done: 600, percent: 100 })));
    expect(recorder.transitions(job.id)).toEqual(['running→completed']); // it was running when the watch began
    recorder.stop();
  });
});
