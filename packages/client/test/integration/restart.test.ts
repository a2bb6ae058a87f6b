import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { startLiveServer, type LiveServer } from '../support/live-server.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

describe('server restart during a watch', () => {
  const servers: LiveServer[] = [];
  const clients: HeadwayClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const server of servers.reverse()) await server.close();
  });

  it('the client reconnects to the new node on the same file and port and catches up by itself', async () => {
    const first = await startLiveServer();
    servers.push(first);
    const admin = createClient({ url: first.url, token: first.adminKey });
    const watcher = createClient({ url: first.url, token: first.adminKey, reconnect: { baseMs: 50, maxMs: 400 } });
    clients.push(admin, watcher);
    const job = await admin.createJob({ type: 'restart-test', total: 100, unit: 'files' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot', () => recorder.latest?.job);
    await admin.reportProgress(job.id, { done: 40 });
    await waitFor('40 files done', () => recorder.latest?.job?.done === 40);

    await first.stop();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    const second = await startLiveServer({ dbPath: first.dbPath, port: first.port, adminKey: first.adminKey });
    servers.push(second);
    const admin2 = createClient({ url: second.url, token: second.adminKey });
    clients.push(admin2);
    // Changes made on the new node, likely before the watcher is back: it must replay them.
    await admin2.reportProgress(job.id, { done: 70 });
    await admin2.fail(job.id, { message: 'worker lost' }, { retry: false });
    await admin2.retry(job.id);
    await admin2.start(job.id);
    await admin2.complete(job.id, { files: 100 });

    await waitFor('the completed job', () => recorder.latest?.job?.status === 'completed', 20_000);
    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued', 'queued→running', 'running→completed']);
    const seqs = recorder.seqs(job.id);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'websocket' });
    recorder.stop();
  });
});
