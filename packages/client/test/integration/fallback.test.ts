import { describe, expect, it } from 'vitest';
import { JobsApi } from '../../src/http/jobs-api.js';
import { Endpoint } from '../../src/http/rest.js';
import type { ConnectionState, TransportKind } from '../../src/index.js';
import { LiveHub } from '../../src/live/live-hub.js';
import { DEFAULT_LIVENESS } from '../../src/live/liveness.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { proxiedWatchers } from '../support/proxied-watchers.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

describe('fallback transports', () => {
  const live = liveServerPerSuite();
  const { watcherBehind, cleanups } = proxiedWatchers(live, { pollIntervalMs: 200 });

  it('uses SSE when the network refuses WebSocket, with live updates', async () => {
    const { watcher } = await watcherBehind({ refuseUpgrades: true });
    const job = await live.admin.createJob({ type: 'sse-test', total: 10 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job);
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'sse' });
    await live.admin.reportProgress(job.id, { done: 5 });
    await waitFor('live progress', () => recorder.latest?.job?.done === 5);
    await live.admin.complete(job.id);
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');
    expect(recorder.transitions()).toEqual(['queued→running', 'running→completed']);
  });

  it('falls back only after WebSocket was refused three times, each retry after a backoff delay', async () => {
    const { proxy, watcher } = await watcherBehind({ refuseUpgrades: true });
    const states: ConnectionState[] = [];
    watcher.connection.subscribe((state) => states.push(state));
    const job = await live.admin.createJob({ type: 'fallback-strikes' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job && watcher.connection.get().transport === 'sse');
    expect(proxy.refusedUpgrades).toBe(3);
    const beforeSse = states.slice(0, states.findIndex((state) => state.transport === 'sse'));
    expect(beforeSse.filter((state) => state.status === 'reconnecting' && state.retryAt !== null)).toHaveLength(3);
    recorder.stop();
  });

  it('each blocked transport backs off by its own strikes: the next one starts afresh, not after ever longer waits', async () => {
    const proxy = await new TcpProxy(() => live.server.port, { refuseUpgrades: true, refusePaths: ['/v1/stream/sse'] }).start();
    const endpoint = new Endpoint(proxy.url, live.server.adminKey, undefined);
    // random → 0.999: every delay is (just under) its backoff cap, so the caps can be read back.
    const hub = new LiveHub(endpoint, new JobsApi(endpoint), { transports: ['websocket', 'sse', 'polling'], backoff: { baseMs: 100, maxMs: 10_000 }, liveness: DEFAULT_LIVENESS, pollIntervalMs: 200, random: () => 0.999 });
    cleanups.push(() => proxy.stop(), () => hub.close());
    const delayCaps: number[] = [];
    hub.connection.subscribe((state) => void (state.retryAt !== null && delayCaps.push(Math.round((state.retryAt - Date.now()) / 100) * 100)));
    const job = await live.admin.createJob({ type: 'fallback-backoff' });
    let snapshots = 0;
    hub.watch(`job:${job.id}`, { onUpdate: () => snapshots++ });
    await waitFor('the snapshot by polling', () => snapshots > 0 && hub.connection.get().transport === 'polling');
    // Three strikes on WebSocket, three on SSE; the last wait of each is before the next transport.
    expect(delayCaps).toEqual([100, 200, 100, 100, 200, 100]);
  });

  it('tries WebSocket again when the SSE connection it fell back to drops', async () => {
    const rules = { refuseUpgrades: true };
    const { proxy, watcher } = await watcherBehind(rules);
    const job = await live.admin.createJob({ type: 'fallback-recovers' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job && watcher.connection.get().transport === 'sse');
    // The proxy passes WebSocket again (its hiccup is over), then the SSE connection drops.
    rules.refuseUpgrades = false;
    proxy.cut();
    await waitFor('WebSocket again', () => watcher.connection.get().status === 'open' && watcher.connection.get().transport === 'websocket');
    await live.admin.start(job.id);
    await waitFor('a live update over WebSocket', () => recorder.latest?.job?.status === 'running');
    recorder.stop();
  });

  it('a new watch after every watch ended tries WebSocket first again', async () => {
    const rules = { refuseUpgrades: true };
    const { watcher } = await watcherBehind(rules);
    const job = await live.admin.createJob({ type: 'fallback-forgotten' });
    const first = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => first.latest?.job && watcher.connection.get().transport === 'sse');
    first.stop();
    rules.refuseUpgrades = false;
    const second = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot again', () => second.latest?.job);
    expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'websocket' });
    second.stop();
  });

  it('SSE resumes with Last-Event-ID after a cut and misses no transition', async () => {
    const { proxy, watcher } = await watcherBehind({ refuseUpgrades: true });
    const job = await live.admin.createJob({ type: 'sse-resume' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job && watcher.connection.get().transport === 'sse');
    await live.admin.start(job.id);
    await waitFor('the job running', () => recorder.latest?.job?.status === 'running');
    proxy.block();
    await waitFor('the reconnecting state', () => watcher.connection.get().status === 'reconnecting');
    await live.admin.fail(job.id, { message: 'boom' }, { retry: false });
    await live.admin.retry(job.id);
    proxy.unblock();
    await waitFor('the retried job', () => recorder.latest?.job?.status === 'queued');
    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued']);
    expect(watcher.connection.get().transport).toBe('sse');
  });

  it('long-polls when neither WebSocket nor event streams get through', async () => {
    const { watcher } = await watcherBehind({ refuseUpgrades: true, refusePaths: ['/v1/stream/sse'] });
    const job = await live.admin.createJob({ type: 'poll-test', total: 10 });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot by polling', () => recorder.latest?.job && watcher.connection.get().transport === 'polling');
    await live.admin.start(job.id);
    await live.admin.reportProgress(job.id, { done: 3 });
    await live.admin.fail(job.id, { message: 'boom' }, { retry: false });
    await live.admin.retry(job.id);
    await live.admin.start(job.id);
    await live.admin.complete(job.id);
    await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');
    // Long-polls may skip states; the events fetched in between restore every transition.
    expect(recorder.transitions()).toEqual(['queued→running', 'running→failed', 'failed→queued', 'queued→running', 'running→completed']);
  });

  it('while on SSE that stays open, a refused WebSocket probe changes nothing: the watch stays open on SSE and probes again later', async () => {
    const { proxy, watcher } = await watcherBehind({ refuseUpgrades: true }, { upgradeProbe: { baseMs: 100, maxMs: 200 } });
    const states: ConnectionState[] = [];
    watcher.connection.subscribe((state) => states.push(state));
    const job = await live.admin.createJob({ type: 'upgrade-refused' });
    const recorder = new WatchRecorder(watcher, job.id);
    await waitFor('the snapshot over SSE', () => recorder.latest?.job && watcher.connection.get().transport === 'sse');
    // Three refusals before the fallback, then one per probe.
    await waitFor('two refused probes', () => proxy.refusedUpgrades >= 5);
    await live.admin.start(job.id);
    await waitFor('a live update over SSE', () => recorder.latest?.job?.status === 'running');
    const sinceOpen = states.slice(states.findIndex((state) => state.status === 'open'));
    expect(sinceOpen.every((state) => state.status === 'open' && state.transport === 'sse')).toBe(true);
    expect(recorder.errors).toEqual([]);
    recorder.stop();
  });

  it.each<TransportKind>(['sse', 'polling'])(
    'on %s that never drops, WebSocket is probed in the background and takes over once it passes: resumed from the last seq, nothing missed or repeated, the fallback closed',
    async (fallback) => {
      const rules = { refuseUpgrades: true, refusePaths: fallback === 'polling' ? ['/v1/stream/sse'] : [] };
      const network = trackedFetch();
      const { watcher } = await watcherBehind(rules, { upgradeProbe: { baseMs: 100, maxMs: 400 }, fetch: network.fetch });
      const states: ConnectionState[] = [];
      let requestsAtSwitch = -1;
      watcher.connection.subscribe((state) => {
        states.push(state);
        if (state.transport === 'websocket' && state.status === 'open' && requestsAtSwitch < 0) requestsAtSwitch = network.requests.length;
      });
      const job = await live.admin.createJob({ type: `upgrade-from-${fallback}` });
      const recorder = new WatchRecorder(watcher, job.id);
      const snapshot = await waitFor(`the snapshot over ${fallback}`, () => watcher.connection.get().transport === fallback && recorder.latest?.job);

      // Step changes (durable events) keep coming before, during and after the switch.
      let reporting = true;
      const reporter = (async () => {
        for (let i = 0; reporting; i++) {
          await live.admin.reportProgress(job.id, { step: `step-${i % 10}` });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      // Stopped before the server closes, also when an assertion below fails.
      cleanups.push(() => ((reporting = false), reporter));
      await waitFor(`events over ${fallback}`, () => recorder.events.length >= 4);
      rules.refuseUpgrades = false;
      await waitFor('WebSocket, with no reconnect', () => watcher.connection.get().transport === 'websocket');
      const madeBySwitch = (await live.admin.events(job.id, { after: snapshot.seq, limit: 1_000 })).length;
      await waitFor('events over WebSocket', () => recorder.events.length >= madeBySwitch + 4);
      reporting = false;
      await reporter;
      await live.admin.complete(job.id);
      await waitFor('the completion', () => recorder.latest?.job?.status === 'completed');

      const made = await live.admin.events(job.id, { after: snapshot.seq, limit: 1_000 });
      expect(recorder.seqs(job.id)).toEqual(made.map((event) => event.seq));
      expect(recorder.errors).toEqual([]);
      const sinceOpen = states.slice(states.findIndex((state) => state.status === 'open'));
      expect(sinceOpen.every((state) => state.status === 'open')).toBe(true);
      expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: 'websocket', attempt: 0, lastError: null });
      // The fallback's requests ended with the switch, and none started after it.
      const fallbackRequests = network.requests.filter((request) => (fallback === 'sse' ? request.path === '/v1/stream/sse' : request.path.startsWith(`/v1/jobs/${job.id}`)));
      expect(fallbackRequests.length).toBeGreaterThan(0);
      expect(fallbackRequests.filter((request) => request.index >= requestsAtSwitch && !request.abortedAtStart)).toEqual([]);
      await waitFor('the fallback requests ended', () => fallbackRequests.every((request) => request.signal?.aborted || (fallback === 'polling' && request.settled)));
      recorder.stop();
    },
  );
});

interface TrackedRequest {
  index: number;
  path: string;
  signal: AbortSignal | undefined;
  /** Started with an aborted signal: it never reached the network. */
  abortedAtStart: boolean;
  /** The answer's head arrived or the request failed. */
  settled: boolean;
}

/** The real fetch, keeping every request's path and signal, to tell whether a transport let its requests go. */
function trackedFetch() {
  const requests: TrackedRequest[] = [];
  const fetchTracked = async (input: string, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined;
    const request: TrackedRequest = { index: requests.length, path: new URL(input).pathname, signal, abortedAtStart: signal?.aborted ?? false, settled: false };
    requests.push(request);
    try {
      return await fetch(input, init);
    } finally {
      request.settled = true;
    }
  };
  return { fetch: fetchTracked, requests };
}
