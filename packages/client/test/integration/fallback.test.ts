import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { startLiveServer, type LiveServer } from '../support/live-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

describe('fallback transports', () => {
  let server: LiveServer;
  let admin: HeadwayClient;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    server = await startLiveServer();
    admin = createClient({ url: server.url, token: server.adminKey });
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    admin.close();
    await server.close();
  });

  async function watcherBehind(rules: ConstructorParameters<typeof TcpProxy>[1]) {
    const proxy = await new TcpProxy(() => server.port, rules).start();
    const watcher = createClient({ url: proxy.url, token: server.adminKey, reconnect: { baseMs: 50, maxMs: 400 }, pollIntervalMs: 200 });
    cleanups.push(() => proxy.stop(), () => watcher.close());
    return { proxy, watcher };
  }

  it('uses SSE when the network refuses WebSocket, with live updates', async () => {
    const { watcher } = await watcherBehind({ refuseUpgrades: true });
    const job = await admin.createJob({ type: 'sse-test', total: 10 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job);
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'sse' });
    await admin.reportProgress(job.id, { done: 5 });
    await waitFor('live progress', () => recorder.latest?.job?.done === 5);
    await admin.complete(job.id);
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');
    expect(recorder.transitions()).toEqual(['queued→running', 'running→completed']);
  });

  it('SSE resumes with Last-Event-ID after a cut and misses no transition', async () => {
    const { proxy, watcher } = await watcherBehind({ refuseUpgrades: true });
    const job = await admin.createJob({ type: 'sse-resume' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job && watcher.connection.get().transport === 'sse');
    await admin.start(job.id);
    await waitFor('the job running', () => recorder.latest?.job?.status === 'running');
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    await admin.fail(job.id, { message: 'boom' }, { retry: false });
    await admin.retry(job.id);
    proxy.unblock();
    await waitFor('the retried job', () => recorder.latest?.job?.status === 'queued');
    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued']);
    expect(watcher.connection.get().transport).toBe('sse');
  });

  it('long-polls when neither WebSocket nor event streams get through', async () => {
    const { watcher } = await watcherBehind({ refuseUpgrades: true, refusePaths: ['/v1/stream/sse'] });
    const job = await admin.createJob({ type: 'poll-test', total: 10 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot by polling', () => recorder.latest?.job && watcher.connection.get().transport === 'polling');
    await admin.start(job.id);
    await admin.reportProgress(job.id, { done: 3 });
    await admin.fail(job.id, { message: 'boom' }, { retry: false });
    await admin.retry(job.id);
    await admin.start(job.id);
    await admin.complete(job.id);
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');
    // Long-polls may skip states; the events fetched in between restore every transition.
    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued', 'queued→running', 'running→completed']);
  });
});
