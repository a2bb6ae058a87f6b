import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type ConnectionState, type TransportKind, type WebSocketConstructor } from '../../src/index.js';
import { liveServerPerSuite } from '../support/live-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { WatchRecorder } from '../support/watch-recorder.js';

/**
 * Connections that die without FIN or RST (the proxy freezes them) against the real server. The
 * server's heartbeats are 15 and 30 s, so the clients here allow far less silence and the job
 * keeps reporting until the freeze; the heartbeats themselves are tested on a fake clock (unit/liveness).
 */
const FAST_LIVENESS = { websocketIdleMs: 300, websocketProbeTimeoutMs: 300, sseSilenceMs: 1_000, longPollTimeoutMs: 1_000, pollRequestTimeoutMs: 1_000 };

describe('a connection lost without FIN or RST', () => {
  const live = liveServerPerSuite();

  /** Reports progress every 50 ms, as a running job does, until stopped. */
  function keepReporting(jobId: string): () => Promise<void> {
    let reporting = true;
    const loop = (async () => {
      for (let done = 1; reporting; done++) {
        await live.admin.reportProgress(jobId, { done });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return async () => {
      reporting = false;
      await loop;
    };
  }

  it.each<TransportKind>(['websocket', 'sse', 'polling'])('over %s the client notices the silence, reconnects and resumes without missing a transition', async (kind) => {
    const proxy = await new TcpProxy(() => live.server.port).start();
    const watcher = createClient({ url: proxy.url, token: live.server.adminKey, transports: [kind], reconnect: { baseMs: 50, maxMs: 400 }, liveness: FAST_LIVENESS });
    const states: ConnectionState[] = [];
    watcher.connection.subscribe((state) => states.push(state));
    try {
      const job = await live.admin.createJob({ type: `silent-drop-${kind}`, total: 1_000 });
      const recorder = new WatchRecorder(watcher, job.id);
      await waitFor('the snapshot', () => recorder.latest?.job);
      const stopReporting = keepReporting(job.id);
      await waitFor('live progress', () => (recorder.latest?.job?.done ?? 0) >= 3);

      proxy.freeze();
      await stopReporting();
      await live.admin.complete(job.id);
      await waitFor('the completion, over a new connection', () => recorder.latest?.job?.status === 'completed');

      expect(recorder.transitions()).toEqual(['queued→running', 'running→completed']);
      expect(states.some((state) => /presumed dead/.test(state.lastError?.message ?? ''))).toBe(true);
      expect(watcher.connection.get()).toMatchObject({ status: 'open', transport: kind });
      expect(recorder.errors).toEqual([]);
      recorder.stop();
    } finally {
      watcher.close();
      await proxy.stop();
    }
  });

  it('a quiet WebSocket without visible pings (a browser) is probed; the server answers, so it stays open and no watcher hears of it', async () => {
    let pongs = 0;
    // The `ws` socket given as a plain constructor, as a browser's would be; it counts the server's pongs.
    class CountingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        this.on('message', (data) => void (String(data) === '{"type":"pong"}' && pongs++));
      }
    }
    const watcher = createClient({
      url: live.server.url,
      token: live.server.adminKey,
      transports: ['websocket'],
      WebSocket: CountingWebSocket as unknown as WebSocketConstructor,
      liveness: { websocketIdleMs: 100, websocketProbeTimeoutMs: 5_000 },
    });
    const statuses: string[] = [];
    watcher.connection.subscribe((state) => statuses.push(state.status));
    try {
      const job = await live.admin.createJob({ type: 'quiet-websocket' });
      const recorder = new WatchRecorder(watcher, job.id);
      await waitFor('three probes answered', () => pongs >= 3);
      expect(statuses).toEqual(['connecting', 'open']);
      expect(recorder.updates.map((update) => update.cause)).toEqual(['snapshot']);
      expect(recorder.errors).toEqual([]);
      recorder.stop();
    } finally {
      watcher.close();
    }
  });
});
