import { beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError, type HeadwayClient } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { waitFor } from '../support/wait.js';

describe('reporter honours control', () => {
  const live = liveServerPerSuite();
  let worker: HeadwayClient;
  beforeAll(() => void (worker = live.client()));

  it('pause is acknowledged and waits, resume restarts the job, cancel acknowledges and throws', async () => {
    const job = await live.admin.createJob({ type: 'remote-worker', total: 1_000_000, unit: 'rows' });
    const reporter = worker.report(job.id, { throttleMs: 20 });
    const log: string[] = [];
    let done = 0;
    const work = (async () => {
      for (;;) {
        reporter.progress(++done);
        const before = reporter.control;
        await reporter.checkpoint();
        if (before === 'pause') log.push(`resumed after ${done}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const outcome = work.catch((error: unknown) => error);

    await waitFor('the job running', async () => (await live.admin.getJob(job.id)).status === 'running');
    await live.admin.pause(job.id);
    const paused = await waitFor('the worker to acknowledge the pause', async () => {
      const current = await live.admin.getJob(job.id);
      return current.status === 'paused' && current;
    });
    expect(reporter.control).toBe('pause');
    const doneWhenPaused = done;

    await live.admin.resume(job.id);
    await waitFor('the worker to start again', async () => (await live.admin.getJob(job.id)).status === 'running' && log.length === 1);
    expect(log).toEqual([`resumed after ${doneWhenPaused}`]);
    expect(reporter.control).toBe('run');
    await waitFor('progress after the resume', async () => (await live.admin.getJob(job.id)).done > paused.done);

    await live.admin.cancel(job.id);
    const error = await outcome;
    expect(error).toBeInstanceOf(JobCancelledError);
    expect((await live.admin.getJob(job.id)).status).toBe('cancelled');
    const transitions = (await live.admin.events(job.id)).filter((e) => e.kind === 'transition').map((e) => (e.kind === 'transition' ? e.to : ''));
    expect(transitions).toEqual(expect.arrayContaining(['running', 'paused', 'queued', 'cancelled']));
  });

  it('complete flushes the waiting progress first', async () => {
    const job = await live.admin.createJob({ type: 'remote-worker', total: 10 });
    const reporter = worker.report(job.id, { throttleMs: 60_000 });
    reporter.progress(1);
    reporter.message('almost there');
    reporter.progress(9);
    const completed = await reporter.complete({ ok: true });
    expect(completed.status).toBe('completed');
    const final = await live.admin.getJob(job.id);
    expect(final).toMatchObject({ status: 'completed', message: 'almost there', result: { ok: true } });
  });
});
