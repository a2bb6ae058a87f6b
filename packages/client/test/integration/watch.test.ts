import { describe, expect, it } from 'vitest';
import { HeadwayError } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

describe('client.watch against a real server', () => {
  const live = liveServerPerSuite();
  const client = (token = live.server.adminKey, url = live.server.url) => live.client({ url, token, reconnect: { baseMs: 50, maxMs: 500 } });

  it('gets the snapshot first, then every transition and live progress, each once', async () => {
    const job = await live.admin.createJob({ type: 'import', total: 1000, unit: 'rows', steps: [{ name: 'read' }, { name: 'write' }] });
    const watcher = client();
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot', () => recorder.latest?.job);
    expect(recorder.updates[0]).toMatchObject({ cause: 'snapshot', channel: `job:${job.id}` });
    expect(recorder.updates[0]?.job?.status).toBe('queued');

    const reporter = live.admin.report(job.id, { throttleMs: 20 });
    reporter.step('read');
    for (let done = 50; done <= 500; done += 50) reporter.progress(done);
    await reporter.flush();
    await waitFor('progress at 500 rows', () => recorder.latest?.job?.done === 500);
    reporter.step('write');
    reporter.progress(1000);
    await reporter.complete({ rows: 1000 });
    await waitFor('the completed job', () => recorder.latest?.job?.status === 'completed');

    expect(recorder.transitions()).toEqual(['queued→running', 'running→completed']);
    const seqs = recorder.seqs(job.id);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(recorder.updates.some((u) => u.cause === 'progress')).toBe(true);
    expect(recorder.latest?.job).toMatchObject({ done: 1000, result: { rows: 1000 } });
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'websocket' });
    recorder.stop();
  });

  it('several watches share one WebSocket, and the last unsubscribe closes it', async () => {
    const proxy = await new TcpProxy(() => live.server.port).start();
    try {
      const jobs = await Promise.all([1, 2, 3].map((n) => live.admin.createJob({ type: 'share', title: `job ${n}` })));
      const watcher = client(live.server.adminKey, proxy.url);
      const recorders = [...jobs.map((job) => new WatchRecorder(watcher, job.id)), new WatchRecorder(watcher, 'jobs')];
      await waitFor('every snapshot', () => recorders.every((r) => r.latest));
      // One client-side socket and its upstream twin.
      expect(proxy.openConnections).toBe(2);
      for (const recorder of recorders) recorder.stop();
      await waitFor('the socket to close', () => proxy.openConnections === 0);
      expect(watcher.connection.get().status).toBe('closed');
    } finally {
      await proxy.stop();
    }
  });

  it('a job the token may not see ends the watch with JOB_NOT_FOUND', async () => {
    const job = await live.admin.createJob({ type: 'private', owner: 'alice' });
    const { token } = await live.admin.mintToken('bob', { ttlSeconds: 60 });
    const recorder = new WatchRecorder(client(token), job.id);
    const error = await waitFor('the watch error', () => recorder.errors[0]);
    expect(error).toBeInstanceOf(HeadwayError);
    expect((error as HeadwayError).code).toBe('JOB_NOT_FOUND');
    expect(recorder.updates).toEqual([]);
  });

  it('a user token watches its own jobs live', async () => {
    const { token } = await live.admin.mintToken('carol', { ttlSeconds: 60 });
    const carol = client(token);
    const recorder = new WatchRecorder(carol, { user: 'carol' });
    await waitFor('the user snapshot', () => recorder.latest);
    const job = await carol.createJob({ type: 'mine', title: 'carol’s export' });
    await waitFor('the new job in the user channel', () => recorder.latest?.jobs.some((j) => j.id === job.id));
    expect(recorder.latest?.jobs.every((j) => j.owner === 'carol')).toBe(true);
  });

  it('a rejected token ends every watch with UNAUTHORIZED and the connection is closed', async () => {
    const job = await live.admin.createJob({ type: 'auth' });
    const stranger = client('not-a-real-token');
    const recorder = new WatchRecorder(stranger, job.id);
    const error = await waitFor('the watch error', () => recorder.errors[0]);
    expect((error as HeadwayError).code).toBe('UNAUTHORIZED');
    await waitFor('the closed state', () => stranger.connection.get().status === 'closed');
  });
});
