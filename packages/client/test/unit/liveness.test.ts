import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '@headway/protocol';
import { JobsApi } from '../../src/http/jobs-api.js';
import { Endpoint, type FetchLike } from '../../src/http/rest.js';
import { DEFAULT_LIVENESS } from '../../src/live/liveness.js';
import { PollTransport } from '../../src/live/poll-transport.js';
import { SseTransport } from '../../src/live/sse-transport.js';
import type { TransportClose, TransportHandlers } from '../../src/live/transport.js';
import { WebSocketTransport, type WebSocketLike } from '../../src/live/ws-transport.js';
import { makeJob } from '../support/jobs.js';

/**
 * Each transport against a peer that goes quiet, on a fake clock: the server's heartbeats keep a
 * connection open however long it idles, and silence past them drops it. (The same over real
 * sockets, with a proxy that freezes connections, is in integration/silent-drop.test.ts.)
 */
class RecordingHandlers implements TransportHandlers {
  opens = 0;
  readonly messages: ServerMessage[] = [];
  readonly closes: TransportClose[] = [];
  onOpen(): void {
    this.opens++;
  }
  onMessage(message: ServerMessage): void {
    this.messages.push(message);
  }
  onClose(info: TransportClose): void {
    this.closes.push(info);
  }
}

const presumedDead = (opened: boolean) => [{ opened, fatal: false, error: expect.objectContaining({ message: expect.stringMatching(/presumed dead/) }) }];

/** A browser's WebSocket as the transport sees it: no ping events, no terminate(). */
class BrowserSocket implements WebSocketLike {
  static last: BrowserSocket | undefined;
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Array<Record<string, unknown>> = [];
  closeCalls = 0;

  constructor(readonly url: string) {
    BrowserSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.closeCalls++;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  get probes(): Array<Record<string, unknown>> {
    return this.sent.filter((message) => message.type === 'ping');
  }
}

/** The `ws` package's socket as the transport sees it: it emits 'ping' and can terminate(). */
class NodeSocket extends BrowserSocket {
  static lastNode: NodeSocket | undefined;
  private readonly emitter = new EventEmitter();
  terminated = false;

  constructor(url: string) {
    super(url);
    NodeSocket.lastNode = this;
  }
  on(event: string, listener: () => void): void {
    this.emitter.on(event, listener);
  }
  ping(): void {
    this.emitter.emit('ping');
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
}

const endpoint = (fetch: FetchLike = () => Promise.reject(new Error('no fetch in this test'))) => new Endpoint('http://headway.test', 'k', fetch);

describe('liveness of live connections (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('WebSocket', () => {
    it('with `ws`, the server pings keep a quiet socket open without probes; silence past idle and probe times terminates it', async () => {
      const handlers = new RecordingHandlers();
      new WebSocketTransport(endpoint(), { create: NodeSocket, acceptsHeaders: true }, handlers, DEFAULT_LIVENESS);
      const socket = NodeSocket.lastNode!;
      socket.open();
      for (let minute = 0; minute < 10; minute++) {
        await vi.advanceTimersByTimeAsync(30_000);
        socket.ping();
      }
      expect(socket.probes).toEqual([]);
      expect(handlers.closes).toEqual([]);

      await vi.advanceTimersByTimeAsync(35_000);
      expect(socket.probes).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(handlers.closes).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(handlers.closes).toEqual(presumedDead(true));
      expect(socket.terminated).toBe(true);
    });

    it('in a browser, a quiet socket is probed; the answer keeps it open and reaches no watcher, no answer drops it', async () => {
      const handlers = new RecordingHandlers();
      new WebSocketTransport(endpoint(), { create: BrowserSocket, acceptsHeaders: false }, handlers, DEFAULT_LIVENESS);
      const socket = BrowserSocket.last!;
      socket.open();
      await vi.advanceTimersByTimeAsync(35_000);
      const probe = socket.probes[0];
      expect(probe).toEqual({ type: 'ping' });
      socket.receive({ type: 'pong' });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(handlers.closes).toEqual([]);
      expect(handlers.messages).toEqual([]);

      await vi.advanceTimersByTimeAsync(5_000);
      expect(socket.probes).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(handlers.closes).toEqual(presumedDead(true));
      expect(socket.closeCalls).toBe(1);
    });

    it('a handshake that never completes ends after the idle time, as a socket that never opened', async () => {
      const handlers = new RecordingHandlers();
      new WebSocketTransport(endpoint(), { create: BrowserSocket, acceptsHeaders: false }, handlers, DEFAULT_LIVENESS);
      await vi.advanceTimersByTimeAsync(35_000);
      expect(handlers.closes).toEqual([{ opened: false, fatal: false, error: expect.objectContaining({ message: expect.stringMatching(/did not open/) }) }]);
    });
  });

  describe('server-sent events', () => {
    /** An event stream whose bytes the test writes; aborting the request errors it, as fetch does. */
    function streamingFetch() {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      const fetch: FetchLike = (_url, init) => {
        init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
        return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
      };
      return { fetch, write: (text: string) => controller.enqueue(new TextEncoder().encode(text)) };
    }

    it('keep-alive comments alone keep a quiet stream open; silence past sseSilenceMs drops it', async () => {
      const stream = streamingFetch();
      const handlers = new RecordingHandlers();
      new SseTransport(endpoint(stream.fetch), handlers, DEFAULT_LIVENESS.sseSilenceMs).subscribe('job:a', null);
      stream.write('retry: 2000\n: headway stream\n\n');
      await vi.advanceTimersByTimeAsync(0);
      expect(handlers.opens).toBe(1);
      for (let beat = 0; beat < 10; beat++) {
        await vi.advanceTimersByTimeAsync(15_000);
        stream.write(': keep-alive\n\n');
      }
      await vi.advanceTimersByTimeAsync(34_999);
      expect(handlers.closes).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(handlers.closes).toEqual(presumedDead(true));
    });
  });

  describe('polling', () => {
    const timing = { intervalMs: 2_000, longPollTimeoutMs: DEFAULT_LIVENESS.longPollTimeoutMs, requestTimeoutMs: DEFAULT_LIVENESS.pollRequestTimeoutMs };

    /** Answers plain reads with the job at once; requests `hangs` picks never answer, until aborted. */
    function silentFetch(hangs: (url: string) => boolean) {
      const aborted: string[] = [];
      const fetch: FetchLike = (url, init) => {
        if (!hangs(url)) return Promise.resolve(Response.json(makeJob({ id: 'a', seq: 1 })));
        return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => (aborted.push(url), reject(new Error('aborted')))));
      };
      return { fetch, aborted };
    }

    it('a long-poll that outlives the server timeout plus a margin is aborted and ends the transport', async () => {
      const network = silentFetch((url) => url.includes('waitForChangeAfter'));
      const handlers = new RecordingHandlers();
      new PollTransport(new JobsApi(endpoint(network.fetch)), handlers, timing).subscribe('job:a', null);
      await vi.advanceTimersByTimeAsync(39_999);
      expect(handlers.opens).toBe(1);
      expect(handlers.closes).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(network.aborted).toHaveLength(1);
      expect(handlers.closes).toEqual(presumedDead(true));
    });

    it('any other request gets the shorter timeout (after a network change, pooled connections are dead too)', async () => {
      const network = silentFetch(() => true);
      const handlers = new RecordingHandlers();
      new PollTransport(new JobsApi(endpoint(network.fetch)), handlers, timing).subscribe('job:a', 3);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(handlers.closes).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(handlers.closes).toEqual(presumedDead(false));
    });
  });
});
