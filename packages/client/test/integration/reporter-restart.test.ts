import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { retryTransient } from '../../src/reporter/retry.js';
import { startLiveServer, type LiveServer } from '../support/live-server.js';
import { waitFor } from '../support/wait.js';

describe('a paused worker across a server restart', () => {
  const servers: LiveServer[] = [];
  const clients: HeadwayClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const server of servers.reverse()) await server.close();
  });

  // The old node held the worker's parked long-poll until its 25 s timeout: its stop waited that
  // long, and the worker saw a resume made on the new node only then.
  it('checkpoint() sees a resume made on the restarted node, and the old node stops without waiting for it', async () => {
    const first = await startLiveServer();
    servers.push(first);
    const admin = createClient({ url: first.url, token: first.adminKey });
    const worker = createClient({ url: first.url, token: first.adminKey });
    clients.push(admin, worker);
    const job = await admin.createJob({ type: 'remote-worker', total: 300, unit: 'rows' });
    const reporter = worker.report(job.id, { throttleMs: 20 });
    let done = 0;
    const work = (async () => {
      while (done < 300) {
        reporter.progress(++done);
        await reporter.checkpoint();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return reporter.complete();
    })();

    await waitFor('the job running', async () => (await admin.getJob(job.id)).status === 'running');
    await admin.pause(job.id);
    await waitFor('the worker to acknowledge the pause', async () => (await admin.getJob(job.id)).status === 'paused');
    const doneWhenPaused = done;

    await first.stop();
    const second = await startLiveServer({ dbPath: first.dbPath, port: first.port, adminKey: first.adminKey });
    servers.push(second);
    const admin2 = createClient({ url: second.url, token: second.adminKey });
    clients.push(admin2);
    // This process may not yet have seen the old node close its keep-alive connections (undici
    // pools them per origin, and the new node has the same one): a request sent on one fails with
    // no answer ("other side closed", seen once with the whole suite running beside it). Again.
    await retryTransient(() => admin2.resume(job.id));

    // The worker retried while no server answered, with jittered backoff that doubles up to 15 s:
    // a slow restart (a loaded machine) leaves it asleep for several seconds before it asks again.
    await waitFor('the worker to run again on the new node', async () => done > doneWhenPaused && (await admin2.getJob(job.id)).status === 'running', 40_000);
    const finished = await work;
    expect(finished).toMatchObject({ status: 'completed', done: 300 });
  }, 60_000);
});
