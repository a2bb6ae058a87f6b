import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
// The CLI command lives in the server package but is a pure client of the SDK; it is tested here.
import { runWatch } from '../../../server/src/cli/watch.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { waitFor } from '../support/wait.js';

/** A writable that collects output, optionally pretending to be a terminal. */
function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  Object.assign(stream, { isTTY: tty, columns: 160 });
  return { stream, text: () => text };
}

describe('headway watch <jobId>', () => {
  const live = liveServerPerSuite();

  it('without a terminal prints one line per change with step, percent and counts, and exits 0 on completion', async () => {
    const job = await live.admin.createJob({ type: 'cli', total: 200, unit: 'rows', steps: [{ name: 'extract' }, { name: 'load' }] });
    const out = capture(false);
    const exit = runWatch({ url: live.server.url, token: live.server.adminKey, jobId: job.id, out: out.stream });
    await waitFor('the first line', () => out.text().includes('queued'));
    await live.admin.reportProgress(job.id, { step: 'extract', done: 50 });
    await waitFor('the extract line', () => out.text().includes('step 1/2 extract'));
    await live.admin.reportProgress(job.id, { step: 'load', done: 150 });
    await waitFor('the load line', () => out.text().includes('step 2/2 load'));
    await live.admin.complete(job.id);
    expect(await exit).toBe(0);
    const lines = out.text().trim().split('\n');
    expect(lines.some((l) => /\[█+░*\]\s+25\.0% · step 1\/2 extract · 50\/200 rows/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`job ${job.id} completed in \\d+s`));
    expect(out.text()).not.toContain('\r');
  });

  it('on a terminal redraws one line in place and exits 1 when the job fails', async () => {
    const job = await live.admin.createJob({ type: 'cli', total: 10 });
    const out = capture(true);
    const exit = runWatch({ url: live.server.url, token: live.server.adminKey, jobId: job.id, out: out.stream });
    await waitFor('the first draw', () => out.text().includes('queued'));
    await live.admin.reportProgress(job.id, { done: 4 });
    await waitFor('the 40% draw', () => out.text().includes('40.0%'));
    await live.admin.fail(job.id, { message: 'disk full' }, { retry: false });
    expect(await exit).toBe(1);
    expect(out.text()).toContain('\r\x1b[2K');
    expect(out.text().trim().split('\n').at(-1)).toBe(`job ${job.id} failed: disk full`);
  });

  it('exits 2 with a message when the job does not exist', async () => {
    const out = capture(false);
    expect(await runWatch({ url: live.server.url, token: live.server.adminKey, jobId: 'no-such-job', out: out.stream })).toBe(2);
    expect(out.text()).toContain('cannot watch job no-such-job');
  });
});
