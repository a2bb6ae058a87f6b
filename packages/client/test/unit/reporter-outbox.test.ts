import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeadwayError } from '@headway/protocol';
import { createClient, type HeadwayClient } from '../../src/index.js';
import { startRecordingServer, type RecordedRequest } from '../support/recording-server.js';
import { waitFor } from '../support/wait.js';

type Recorder = Awaited<ReturnType<typeof startRecordingServer>>;

const progressBodies = (requests: RecordedRequest[]) =>
  requests.flatMap((r) => (Array.isArray(r.body) ? (r.body as Array<Record<string, unknown>>) : [{ jobId: r.path.split('/')[3], ...(r.body as object) }]));

describe('reporter outbox: throttled, batched, transitions at once', () => {
  let server: Recorder;
  let client: HeadwayClient;
  /** When the client sent each request (the server's clock would add connection set-up time). */
  let sentAt: number[];
  beforeEach(async () => {
    server = await startRecordingServer();
    sentAt = [];
    const fetchAndRecord = (input: string, init?: RequestInit) => (sentAt.push(Date.now()), fetch(input, init));
    client = createClient({ url: server.url, token: 'test-key', fetch: fetchAndRecord });
  });
  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('plain ticks are coalesced: at most one report per throttle window, newest value wins', async () => {
    const reporter = client.report('job-1', { throttleMs: 100 });
    const started = Date.now();
    for (let done = 1; Date.now() - started < 450; done++) {
      reporter.progress(done, 1_000_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    reporter.progress(123_456);
    await reporter.flush();
    // ~90 ticks went in at most one request per 100 ms window plus the final flush. The count is the
    // check: late timers on a busy machine make fewer requests, never more (gaps between sends were
    // checked here too, and failed once under the full suite's load).
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThanOrEqual(8);
    expect(sentAt).toHaveLength(server.requests.length);
    expect(progressBodies(server.requests).at(-1)).toMatchObject({ done: 123_456 });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('a step change and the final value go out at once, without waiting for the throttle', async () => {
    const reporter = client.report('job-1', { throttleMs: 10_000 });
    reporter.progress(1, 10);
    await reporter.flush();
    const before = Date.now();
    reporter.step('encode');
    reporter.progress(10, 10);
    await reporter.flush();
    expect(Date.now() - before).toBeLessThan(2_000);
    expect(progressBodies(server.requests)).toEqual([
      { jobId: 'job-1', done: 1, total: 10 },
      { jobId: 'job-1', step: 'encode', done: 10, total: 10 },
    ]);
  });

  it('reports of several jobs that are due together travel in one batch request', async () => {
    const reporters = ['a', 'b', 'c'].map((id) => client.report(id, { throttleMs: 50 }));
    reporters.forEach((r, i) => r.progress(i + 1, 100));
    await Promise.all(reporters.map((r) => r.flush()));
    const batches = server.requests.filter((r) => r.path === '/v1/progress');
    expect(batches.length).toBe(1);
    expect(batches[0]?.body).toEqual([
      { jobId: 'a', done: 1, total: 100 },
      { jobId: 'b', done: 2, total: 100 },
      { jobId: 'c', done: 3, total: 100 },
    ]);
  });

  it('exposes the control intent of the newest answer and tells listeners when it changes', async () => {
    const reporter = client.report('job-1', { throttleMs: 10 });
    const seen: string[] = [];
    reporter.onControl((control) => seen.push(control));
    reporter.progress(1);
    await reporter.flush();
    expect(reporter.control).toBe('run');
    server.control.value = 'pause';
    reporter.progress(2);
    await reporter.flush();
    expect(reporter.control).toBe('pause');
    expect(seen).toEqual(['pause']);
  });

  it('a per-job error with a code this client does not know still rejects as a HeadwayError with a status', async () => {
    await server.close();
    server = await startRecordingServer((request) =>
      Array.isArray(request.body) ? { status: 200, body: (request.body as Array<{ jobId: string }>).map(({ jobId }) => ({ jobId, error: { code: 'SOMETHING_NEWER', message: 'a newer server says no' } })) } : undefined,
    );
    client.close();
    client = createClient({ url: server.url, token: 'test-key' });
    const [a, b] = ['a', 'b'].map((id) => client.report(id, { throttleMs: 50 })) as [ReturnType<HeadwayClient['report']>, ReturnType<HeadwayClient['report']>];
    a.progress(1, 10);
    b.progress(1, 10);
    const failure = await a.flush().catch((error: unknown) => error as HeadwayError);
    expect(failure).toBeInstanceOf(HeadwayError);
    expect(failure).toMatchObject({ code: 'INTERNAL', message: 'a newer server says no' });
    expect(failure!.status).toBe(500);
  });
  it('two reporters of one job both hear the control intent, whichever of them reported last', async () => {
    const first = client.report('job-1', { throttleMs: 10 });
    const second = client.report('job-1', { throttleMs: 10 });
    first.progress(1);
    await first.flush();
    server.control.value = 'cancel';
    second.message('still here');
    await second.flush();
    expect([first.control, second.control]).toEqual(['cancel', 'cancel']);
  });

  it('a report the batch answer refuses for now (NOT_READY for its job) is sent again; the others are not', async () => {
    let refuseB = true;
    await server.close();
    server = await startRecordingServer((request) => {
      if (!Array.isArray(request.body)) return undefined;
      const answers = (request.body as Array<{ jobId: string }>).map(({ jobId }) =>
        jobId === 'b' && refuseB ? { jobId, error: { code: 'NOT_READY', message: 'job b is being loaded; try again' } } : { jobId, seq: 1, control: 'run' },
      );
      refuseB = false;
      return { status: 200, body: answers };
    });
    client.close();
    client = createClient({ url: server.url, token: 'test-key' });
    const [a, b] = [client.report('a', { throttleMs: 50 }), client.report('b', { throttleMs: 50, onError: () => {} })];
    a.progress(1, 10);
    b.progress(2, 10);
    await a.flush();
    await waitFor('the refused report to be sent again', () => progressBodies(server.requests).filter((body) => body.jobId === 'b').length === 2);
    expect(progressBodies(server.requests)).toEqual([
      { jobId: 'a', done: 1, total: 10 },
      { jobId: 'b', done: 2, total: 10 },
      { jobId: 'b', done: 2, total: 10 },
    ]);
  });
});
