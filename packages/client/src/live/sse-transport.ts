import { createParser } from 'eventsource-parser';
import { HeadwayError, type Channel, type ServerMessage } from '@headway/protocol';
import { errorFromAnswer } from '../errors.js';
import type { Endpoint } from '../http/rest.js';
import { SilenceWatch } from './liveness.js';
import type { Transport, TransportHandlers } from './transport.js';

/**
 * Server-sent events over fetch, one stream per channel. Parsing a fetch stream ourselves
 * (instead of EventSource) lets us send the Authorization and Last-Event-ID headers everywhere.
 */
export class SseTransport implements Transport {
  readonly kind = 'sse' as const;
  private readonly streams = new Map<Channel, AbortController>();
  private opened = false;
  private ended = false;

  /** `silenceMs`: a stream that sends nothing for this long, not even its keep-alive comment, is dead. */
  constructor(private readonly endpoint: Endpoint, private readonly handlers: TransportHandlers, private readonly silenceMs: number) {}

  subscribe(channel: Channel, after: number | null): void {
    this.streams.get(channel)?.abort();
    const controller = new AbortController();
    this.streams.set(channel, controller);
    this.follow(channel, after, controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) this.end(error instanceof Error ? error : new Error(String(error)), false);
    });
  }

  unsubscribe(channel: Channel): void {
    this.streams.get(channel)?.abort();
    this.streams.delete(channel);
  }

  close(): void {
    this.ended = true;
    for (const controller of this.streams.values()) controller.abort();
    this.streams.clear();
  }

  private async follow(channel: Channel, after: number | null, signal: AbortSignal): Promise<void> {
    const silence = new SilenceWatch(() => this.end(new Error(`nothing on the event stream of ${channel} for ${this.silenceMs} ms, not even a keep-alive; the connection is presumed dead`), false));
    // Started before the request, so an answer lost in the network ends too.
    silence.start(this.silenceMs);
    signal.addEventListener('abort', () => silence.stop(), { once: true });
    try {
      await this.read(channel, after, signal, silence);
    } finally {
      silence.stop();
    }
  }

  private async read(channel: Channel, after: number | null, signal: AbortSignal, silence: SilenceWatch): Promise<void> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.endpoint.authHeaders() };
    if (after !== null) headers['last-event-id'] = String(after);
    const response = await this.endpoint.fetch(this.endpoint.url('v1/stream/sse', { channel }), { headers, signal });
    if (!response.ok) return this.refused(channel, response);
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      return this.end(new Error(`${this.endpoint.url('v1/stream/sse')} did not answer with an event stream`), false);
    }
    if (!this.opened) {
      this.opened = true;
      this.handlers.onOpen();
    }
    const parser = createParser({
      onEvent: (event) => {
        const message = parseMessage(event.data, event.event);
        if (message && !signal.aborted) this.handlers.onMessage(message);
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Any bytes count, keep-alive comments included: they are what a quiet channel receives.
      silence.heard();
      parser.feed(value);
    }
    if (!signal.aborted) this.end(new Error(`the event stream of ${channel} ended`), true);
  }

  /** A channel the server refuses (not found, someone else's) is that channel's error; 401 ends everything. */
  private async refused(channel: Channel, response: Response): Promise<void> {
    const body: unknown = await response.json().catch(() => undefined);
    const error = errorFromAnswer(response.status, body);
    const ours = (body as { error?: unknown } | undefined)?.error !== undefined;
    if (error.code === 'UNAUTHORIZED') return this.end(error, this.opened, true);
    if (ours && (error.code === 'JOB_NOT_FOUND' || error.code === 'FORBIDDEN' || error.code === 'VALIDATION_FAILED')) {
      this.streams.delete(channel);
      this.handlers.onMessage({ type: 'error', channel, code: error.code, message: error.message });
      return;
    }
    // Anything else (a 404 from a proxy, a 405) means this transport is not served here.
    this.end(error, this.opened);
  }

  private end(error: Error, opened: boolean, fatal = error instanceof HeadwayError && error.code === 'UNAUTHORIZED'): void {
    if (this.ended) return;
    this.close();
    this.handlers.onClose({ error, opened: opened || this.opened, fatal });
  }
}

function parseMessage(data: string, eventName: string | undefined): ServerMessage | null {
  try {
    const parsed = JSON.parse(data) as Partial<ServerMessage>;
    if (parsed.type) return parsed as ServerMessage;
    return eventName ? ({ ...parsed, type: eventName } as ServerMessage) : null;
  } catch {
    return null;
  }
}
