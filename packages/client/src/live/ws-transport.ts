import { HeadwayError, type Channel, type ClientMessage, type ServerMessage } from '@headway/protocol';
import type { Endpoint } from '../http/rest.js';
import { SilenceWatch, type LivenessOptions } from './liveness.js';
import type { Transport, TransportHandlers } from './transport.js';

/** The part of the WebSocket API we use: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocolsOrOptions?: unknown) => WebSocketLike;

/** A WebSocket implementation, and whether it accepts `{headers}` (the `ws` package does). */
export interface WebSocketImpl {
  create: WebSocketConstructor;
  acceptsHeaders: boolean;
}

const OPEN = 1;
/** Close codes the server uses for a token it rejects (4000 + HTTP status). */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

/** Sent after a silence to make the server answer (browsers hide the server's WebSocket pings). */
const PROBE: ClientMessage = { type: 'ping' };

type WebSocketLiveness = Pick<LivenessOptions, 'websocketIdleMs' | 'websocketProbeTimeoutMs'>;

/** One shared socket for all channels of a client; subscriptions are multiplexed by channel. */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  private readonly socket: WebSocketLike;
  private readonly pending = new Map<Channel, number | null>();
  private opened = false;
  /** Closed by the hub, by the server or as dead: no more callbacks. */
  private ended = false;
  private lastError: Error | null = null;
  private readonly silence = new SilenceWatch(() => this.silent());
  private probing = false;

  constructor(endpoint: Endpoint, impl: WebSocketImpl, private readonly handlers: TransportHandlers, private readonly liveness: WebSocketLiveness) {
    const http = endpoint.url('v1/stream', impl.acceptsHeaders ? {} : { token: endpoint.token });
    const url = http.replace(/^http/, 'ws');
    this.socket = impl.acceptsHeaders ? new impl.create(url, { headers: endpoint.authHeaders() }) : new impl.create(url);
    // Started before the socket opens, so a handshake lost in the network ends too.
    this.silence.start(liveness.websocketIdleMs);
    const emitter = this.socket as Partial<{ on(event: 'ping', listener: () => void): unknown }>;
    if (typeof emitter.on === 'function') emitter.on('ping', () => this.heard());
    this.socket.onopen = () => {
      this.opened = true;
      this.heard();
      for (const [channel, after] of this.pending) this.send({ type: 'subscribe', channel, ...(after === null ? {} : { after }) });
      this.pending.clear();
      handlers.onOpen();
    };
    this.socket.onmessage = (event) => this.receive(event.data);
    this.socket.onerror = (event) => {
      const message = (event as { message?: string; error?: Error })?.error?.message ?? (event as { message?: string })?.message;
      this.lastError = new Error(`WebSocket error${message ? `: ${message}` : ''}`);
    };
    this.socket.onclose = (event) => this.closed(event.code, event.reason);
  }

  subscribe(channel: Channel, after: number | null): void {
    if (this.socket.readyState === OPEN) this.send({ type: 'subscribe', channel, ...(after === null ? {} : { after }) });
    else this.pending.set(channel, after);
  }

  unsubscribe(channel: Channel): void {
    if (this.socket.readyState === OPEN) this.send({ type: 'unsubscribe', channel });
    else this.pending.delete(channel);
  }

  close(): void {
    this.end();
    try {
      this.socket.close(1000, 'client closed');
    } catch {
      // A socket still connecting may refuse close(); dropping its handlers is enough.
    }
  }

  private end(): void {
    this.ended = true;
    this.silence.stop();
    this.socket.onopen = this.socket.onmessage = this.socket.onclose = null;
    // Closing a socket that is still connecting makes `ws` emit an error; with no listener it would crash.
    this.socket.onerror = () => {};
  }

  /** Any frame proves the connection alive, and answers a probe under way. */
  private heard(): void {
    if (!this.probing) return this.silence.heard();
    this.probing = false;
    this.silence.start(this.liveness.websocketIdleMs);
  }

  private silent(): void {
    if (!this.probing && this.socket.readyState === OPEN) {
      this.probing = true;
      this.send(PROBE);
      return this.silence.start(this.liveness.websocketProbeTimeoutMs);
    }
    const { websocketIdleMs, websocketProbeTimeoutMs } = this.liveness;
    const error = this.opened
      ? new Error(`nothing from the server for ${websocketIdleMs + websocketProbeTimeoutMs} ms, not even an answer to a probe; the connection is presumed dead`)
      : new Error(`the WebSocket did not open within ${websocketIdleMs} ms`);
    this.end();
    // A close handshake cannot cross a dead connection (`ws` would wait 30 s for it): drop the socket.
    const socket = this.socket as Partial<{ terminate(): void }>;
    if (typeof socket.terminate === 'function') socket.terminate();
    else this.socket.close();
    this.handlers.onClose({ error, opened: this.opened, fatal: false });
  }

  private send(message: ClientMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  private receive(data: unknown): void {
    this.heard();
    let message: ServerMessage;
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data)) as ServerMessage;
    } catch {
      this.lastError = new Error('the server sent a frame that is not JSON');
      return;
    }
    if (message.type === 'pong') return; // heard() above took it
    this.handlers.onMessage(message);
  }

  private closed(code: number, reason: string): void {
    if (this.ended) return;
    this.end();
    // The `ws` package reports a refused upgrade's HTTP status in its error (browsers hide it).
    // Only 401 is about the token: a 403 on upgrade is as likely a proxy that blocks WebSocket.
    if (/Unexpected server response: 401\b/.test(this.lastError?.message ?? '')) code = 4401;
    const fatal = AUTH_CLOSE_CODES.has(code);
    const error = fatal
      ? new HeadwayError(code === 4401 ? 'UNAUTHORIZED' : 'FORBIDDEN', reason || 'the server rejected the token')
      : (this.lastError ?? new Error(`WebSocket closed (${code}${reason ? `: ${reason}` : ''})`));
    this.handlers.onClose({ error, opened: this.opened, fatal });
  }
}

/** Options' implementation, else the global one (browsers, Node 22+), else `ws` loaded on demand. */
export async function resolveWebSocket(given: WebSocketConstructor | undefined): Promise<WebSocketImpl> {
  if (given) return { create: given, acceptsHeaders: false };
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return { create: global, acceptsHeaders: false };
  const ws = (await import('ws')) as unknown as { default: WebSocketConstructor };
  return { create: ws.default, acceptsHeaders: true };
}
