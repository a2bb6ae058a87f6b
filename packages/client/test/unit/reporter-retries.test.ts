import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, HeadwayNetworkError } from '../../src/index.js';
import { makeJob } from '../support/jobs.js';
import { scriptedFetch, type ScriptedCall } from '../support/scripted-fetch.js';

/** Reporter retries on fake timers: hours of outage pass in milliseconds, and nothing depends on real time. */
describe('reporter retries while the server cannot be reached', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const url = 'http://headway.test';
  const isProgress = (call: ScriptedCall) => call.method === 'POST' && call.path.endsWith('/progress');

  it('a worker that keeps reporting does not cut the retry backoff short', async () => {
    // Each backoff is its cap (no jitter): 500, 1,000, 2,000, 4,000 ms after the first failure.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    let reachable = true;
    const server = scriptedFetch(() => (reachable ? { body: { seq: 1, control: 'run' } } : 'unreachable'));
    const reporter = createClient({ url, fetch: server.fetch }).report('job-1', { throttleMs: 250, onError: () => {} });
    reporter.progress(1);
    await reporter.flush();
    reachable = false;
    for (let done = 2; done <= 600; done++) {
      reporter.progress(done);
      await vi.advanceTimersByTimeAsync(10);
    }
    const attemptsDuringOutage = server.calls.filter(isProgress).length - 1;
    // At 250, 750, 1,750 and 3,750 ms; one every throttle window (24) without the backoff.
    expect(attemptsDuringOutage).toBe(4);

    reachable = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls.filter(isProgress).at(-1)?.body).toEqual({ done: 600 });
  });

  it('a paused worker keeps waiting through hours of outage and carries on once the server is back', async () => {
    let server: 'paused' | 'down' | 'resumed' = 'paused';
    const fetcher = scriptedFetch((call) => {
      if (server === 'down') return 'unreachable';
      if (isProgress(call)) return { body: { seq: 2, control: 'pause' } };
      if (call.method === 'POST' && call.path.endsWith('/pause')) return { body: makeJob({ id: 'job-1', status: 'paused', control: 'pause', seq: 3 }) };
      return { body: makeJob({ id: 'job-1', status: 'running', control: server === 'resumed' ? 'run' : 'pause', seq: 4 }) };
    });
    const reporter = createClient({ url, fetch: fetcher.fetch }).report('job-1');
    reporter.progress(1);
    await reporter.flush();
    expect(reporter.control).toBe('pause');

    server = 'down';
    let outcome: string = 'waiting';
    void reporter.checkpoint().then(
      () => (outcome = 'returned'),
      (error: Error) => (outcome = `threw ${error.name}`),
    );
    await vi.advanceTimersByTimeAsync(3 * 3_600_000);
    expect(outcome).toBe('waiting');

    server = 'resumed';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(outcome).toBe('returned');
    expect(reporter.control).toBe('run');
  });

  it('a paused worker stops waiting for the server when its signal aborts', async () => {
    const fetcher = scriptedFetch((call) => (isProgress(call) ? { body: { seq: 2, control: 'pause' } } : 'unreachable'));
    const reporter = createClient({ url, fetch: fetcher.fetch }).report('job-1');
    reporter.progress(1);
    await reporter.flush();
    const shutdown = new AbortController();
    const waiting = reporter.checkpoint({ signal: shutdown.signal });
    const rejection = expect(waiting).rejects.toThrow('shutting down');
    await vi.advanceTimersByTimeAsync(60_000);
    shutdown.abort(new Error('shutting down'));
    await rejection;
  });

  it('complete() keeps trying for 5 minutes by default, saying why through onError, then throws the network error', async () => {
    const fetcher = scriptedFetch(() => 'unreachable');
    const errors: Error[] = [];
    const reporter = createClient({ url, fetch: fetcher.fetch }).report('job-1', { onError: (error) => errors.push(error) });
    let outcome: unknown = 'waiting';
    void reporter.complete({ rows: 1 }).then(
      () => (outcome = 'completed'),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(290_000);
    expect(outcome).toBe('waiting');
    const attempts = fetcher.calls.filter((call) => call.path.endsWith('/complete')).length;
    expect(attempts).toBeGreaterThan(10);
    // Each failed attempt is told while it waits, not only after 5 minutes.
    expect(errors.length).toBe(attempts);
    expect(errors[0]).toBeInstanceOf(HeadwayNetworkError);
    expect(errors[0]!.message).toMatch(/^could not reach http:\/\/headway\.test\/v1\/jobs\/job-1\/complete: .*; check the URL and that the server is running$/);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(outcome).toBeInstanceOf(HeadwayNetworkError);
  });

  it('the final value goes out at once when the total came with the options (set when the job was created)', async () => {
    const fetcher = scriptedFetch(() => ({ body: { seq: 1, control: 'run' } }));
    const reporter = createClient({ url, fetch: fetcher.fetch }).report('job-1', { throttleMs: 60_000, total: 10 });
    reporter.progress(1);
    await reporter.flush();
    reporter.progress(5);
    reporter.progress(10);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetcher.calls.filter(isProgress).map((call) => call.body)).toEqual([{ done: 1 }, { done: 10 }]);
  });
});
