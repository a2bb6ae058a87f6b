import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobsApi } from '../../src/http/jobs-api.js';
import { Endpoint, type FetchLike } from '../../src/http/rest.js';
import { longPollWaitMs } from '../../src/live/liveness.js';
import { PollTransport } from '../../src/live/poll-transport.js';
import type { TransportClose } from '../../src/live/transport.js';
import { makeJob } from '../support/jobs.js';

/** Answers every request with job `a` at once, and keeps each request's URL. */
function answeringFetch() {
  const urls: URL[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(new URL(url));
    return Response.json(makeJob({ id: 'a', seq: 3 }));
  };
  return { fetch, urls };
}

/**
 * A server that holds a long-poll of an unchanging job for its `timeoutMs` (25,000 when not
 * given, as Headway's route does), then answers the job as it is; on the fake clock.
 */
function quietServer() {
  const waits: number[] = [];
  const fetch: FetchLike = (url, init) => {
    const query = new URL(url).searchParams;
    if (!query.has('waitForChangeAfter')) return Promise.resolve(Response.json(makeJob({ id: 'a', seq: 3 })));
    const waitMs = Number(query.get('timeoutMs') ?? 25_000);
    waits.push(waitMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(Response.json(makeJob({ id: 'a', seq: 3 }))), waitMs);
      init?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))));
    });
  };
  return { fetch, waits };
}

const api = (fetch: FetchLike) => new JobsApi(new Endpoint('http://headway.test', 'k', fetch));

describe('long-poll wait (waitForChange timeoutMs)', () => {
  it('waitForChange sends the timeoutMs it is given beside waitForChangeAfter, and none by default', async () => {
    const network = answeringFetch();
    await api(network.fetch).waitForChange('a', 2, { timeoutMs: 5_000 });
    await api(network.fetch).waitForChange('a', 2);
    expect(network.urls.map((url) => Object.fromEntries(url.searchParams))).toEqual([{ waitForChangeAfter: '2', timeoutMs: '5000' }, { waitForChangeAfter: '2' }]);
  });

  it('waitForChange still takes a bare AbortSignal as its third argument', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the caller'));
    const fetch: FetchLike = (_url, init) => (init?.signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve(Response.json(makeJob({ id: 'a' }))));
    await expect(api(fetch).waitForChange('a', 2, controller.signal)).rejects.toThrow('stopped by the caller');
  });

  it("the wait asked for leaves the client's abort timeout a margin, and never exceeds the server's default", () => {
    expect([40_000, 30_000, 20_000, 10_000, 1_000, 0].map(longPollWaitMs)).toEqual([25_000, 15_000, 10_000, 5_000, 500, 0]);
    expect(longPollWaitMs(120_000)).toBe(25_000);
  });

  describe('polling with a long-poll timeout shorter than the server default (fake clock)', () => {
    beforeEach(() => void vi.useFakeTimers({ now: 0 }));
    afterEach(() => void vi.useRealTimers());

    it('a quiet job keeps its connection: each long-poll asks for a wait the client lets it finish', async () => {
      const server = quietServer();
      const closes: TransportClose[] = [];
      const transport = new PollTransport(api(server.fetch), { onOpen: () => {}, onMessage: () => {}, onClose: (info) => closes.push(info) }, {
        intervalMs: 2_000,
        longPollTimeoutMs: 10_000,
        requestTimeoutMs: 10_000,
      });
      transport.subscribe('job:a', null);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(closes).toEqual([]);
      expect(server.waits.length).toBeGreaterThan(5);
      expect(server.waits.every((waitMs) => waitMs === 5_000)).toBe(true);
      transport.close();
    });
  });
});
