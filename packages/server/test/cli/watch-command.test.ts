import { createServer } from 'node:net';
import type { Job } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { runWatch, type WatchOptions } from '../../src/cli/watch.js';
import { eventually } from '../support/node.js';
import { testServerPerTest } from '../support/server.js';

const start = testServerPerTest();

/** `headway watch` in-process, printing to a terminal (redrawn in place) or to a pipe. */
function watch(options: Omit<WatchOptions, 'out'>, tty = false): { exited: Promise<number>; output: () => string } {
  let text = '';
  const out = { isTTY: tty, columns: 300, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { exited: runWatch({ ...options, out }), output: () => text };
}

/** A loopback URL where nothing listens. */
async function closedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('headway watch', () => {
  it('without a server it says it is connecting and why it fails, then gives up with exit code 3', async () => {
    const url = await closedUrl();
    for (const tty of [false, true]) {
      const watching = watch({ url, token: 'X', jobId: 'some-job', giveUpAfterMs: 1_500 }, tty);
      expect(await watching.exited).toBe(3);
      const lines = watching.output().split(/[\r\n]/).filter(Boolean);
      expect(lines[0]).toContain(`connecting to ${url}`);
      expect(watching.output()).toMatch(/reconnecting to .*ECONNREFUSED/);
      expect(lines.at(-1)).toMatch(new RegExp(`^cannot reach the server at ${url} \\(\\d+ attempts? in 2s; last error: .*ECONNREFUSED.*\\); check --url`));
    }
  });

  it('an unknown job or a bad token ends the watch at once with exit code 2 and says why', async () => {
    const server = await start();
    const unknown = watch({ url: server.url, token: server.adminKey, jobId: 'no-such-job', giveUpAfterMs: 20_000 });
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toMatch(/^cannot watch job no-such-job: .*does not exist/m);
    const job = (await server.request<Job>('POST', '/v1/jobs', { body: { type: 'watched' } })).body;
    const badToken = watch({ url: server.url, token: 'hw_not_a_key', jobId: job.id, giveUpAfterMs: 20_000 });
    expect(await badToken.exited).toBe(2);
    expect(badToken.output()).toMatch(new RegExp(`^cannot watch job ${job.id}: `, 'm'));
  });

  it('a watch that loses its server says it is reconnecting, past the give-up time, and ends when the job does', async () => {
    const server = await start();
    const job = (await server.request<Job>('POST', '/v1/jobs', { body: { type: 'watched' } })).body;
    await server.request('POST', `/v1/jobs/${job.id}/start`, { body: {} });
    const giveUpAfterMs = 300;
    const watchedAt = Date.now();
    const watching = watch({ url: server.url, token: server.adminKey, jobId: job.id, giveUpAfterMs });
    await eventually(() => watching.output().includes('running'), 10_000, 'the running job drawn');
    await server.stop();
    await eventually(() => /running · reconnecting… \(.+\)/.test(watching.output()), 10_000, 'a line saying it is reconnecting, and why');
    // The server stays away past the give-up time, which only holds until the first connection.
    await new Promise((resolve) => setTimeout(resolve, watchedAt + 2 * giveUpAfterMs - Date.now()));
    const restarted = await start({ dbPath: server.dbPath, port: server.port, adminKey: server.adminKey });
    await restarted.request('POST', `/v1/jobs/${job.id}/complete`, { body: {} });
    expect(await watching.exited).toBe(0);
    expect(watching.output()).toContain(`job ${job.id} completed in`);
  });

  it('a job that finished while the watch was away is shown as it finished, not with the progress from before', async () => {
    const server = await start();
    const job = (await server.request<Job>('POST', '/v1/jobs', { body: { type: 'watched', total: 600, unit: 'rows' } })).body;
    await server.request('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 181 } });
    const watching = watch({ url: server.url, token: server.adminKey, jobId: job.id });
    await eventually(() => watching.output().includes('181/600 rows'), 10_000, 'the job at 181 rows drawn');
    await server.stop();
    // Another node on the same database finishes the job while the watch has no server.
    const elsewhere = await start({ dbPath: server.dbPath, adminKey: server.adminKey });
    await elsewhere.request('POST', `/v1/jobs/${job.id}/progress`, { body: { done: 600 } });
    await elsewhere.request('POST', `/v1/jobs/${job.id}/complete`, { body: {} });
    await elsewhere.stop();
    await start({ dbPath: server.dbPath, port: server.port, adminKey: server.adminKey });
    expect(await watching.exited).toBe(0);
    const lines = watching.output().trim().split('\n');
    expect(lines.at(-2)).toMatch(/^\[█{24}\] 100\.0% · 600\/600 rows · completed$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^job ${job.id} completed in `));
  });
});
