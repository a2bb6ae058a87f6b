import { describe, expect, it } from 'vitest';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { recordingFetch, type Interference, type SentRequest } from '../support/recording-fetch.js';

/** complete() and fail() must not be lost to a restart or a dropped connection. */
describe('transitions survive network failures', () => {
  const live = liveServerPerSuite();

  /** A worker whose first `times` calls to `action` fail the way `interference` says. */
  function flakyWorker(action: 'complete' | 'fail', interference: Interference, times: number): { worker: HeadwayClient; sent: SentRequest[] } {
    let left = times;
    const recorder = recordingFetch((request) => (request.path.endsWith(`/${action}`) && left-- > 0 ? interference : undefined));
    return { worker: createClient({ url: live.server.url, token: live.server.adminKey, fetch: recorder.fetch }), sent: recorder.sent };
  }

  const attemptsOf = (sent: SentRequest[], action: string) => sent.filter((request) => request.path.endsWith(`/${action}`)).length;

  it('complete() is retried while the server cannot be reached', async () => {
    const { worker, sent } = flakyWorker('complete', 'unreachable', 2);
    const job = await live.admin.createJob({ type: 'transitions', total: 10 });
    const reporter = worker.report(job.id);
    reporter.progress(10);
    const completed = await reporter.complete({ rows: 10 });
    expect(completed).toMatchObject({ status: 'completed', result: { rows: 10 } });
    expect(attemptsOf(sent, 'complete')).toBe(3);
    worker.close();
  });

  it('a complete() whose answer was lost is sent again, and its "already completed" counts as done', async () => {
    const { worker, sent } = flakyWorker('complete', 'answer-lost', 1);
    const job = await live.admin.createJob({ type: 'transitions' });
    const reporter = worker.report(job.id);
    reporter.progress(1);
    const completed = await reporter.complete({ rows: 1 });
    expect(completed).toMatchObject({ status: 'completed', result: { rows: 1 } });
    expect(sent.filter((request) => request.path.endsWith('/complete')).map((request) => request.status)).toEqual([null, 409]);
    worker.close();
  });

  it('a fail() whose answer was lost is sent again, and its "already failed" counts as done', async () => {
    const { worker } = flakyWorker('fail', 'answer-lost', 1);
    const job = await live.admin.createJob({ type: 'transitions' });
    const reporter = worker.report(job.id);
    reporter.progress(1);
    const failed = await reporter.fail(new Error('the source went away'), { retry: false });
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'the source went away' } });
    worker.close();
  });

  it('a complete() refused on its first attempt (the job was cancelled) still throws', async () => {
    const { worker } = flakyWorker('complete', undefined, 0);
    const job = await live.admin.createJob({ type: 'transitions' });
    await live.admin.cancel(job.id);
    const reporter = worker.report(job.id);
    await expect(reporter.complete()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    worker.close();
  });
});
