import { HeadwayError, type Channel, type ServerMessage, type StreamMessage } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { authorizeChannel } from './channel-access.js';
import { passBatcher } from './corked-writes.js';
import type { CredentialWatch } from './credential-watch.js';
import type { StreamOptions } from './options.js';
import { StreamConnection } from './stream-connection.js';
import type { StreamHub } from './stream-hub.js';
import type { StreamsClosing } from './streams-closing.js';
import { tokenOf } from './websocket-route.js';

/** How long a browser's EventSource waits before reconnecting (it then sends Last-Event-ID). */
const RETRY_MS = 2_000;

/**
 * Server-sent events at /v1/stream/sse?channel=…: one `data:` line per message. Durable ones
 * carry `id:` (the job's seq, or the cursor on many-job channels), so a reconnecting client
 * resumes with Last-Event-ID. Token and channel are checked before the stream starts, so a
 * refusal is a plain 401/403/404 answer that EventSource does not retry. A token refused later
 * (a revoked key, an expired user token) ends the stream after a final `event: error`.
 */
export async function sseRoute(app: FastifyInstance, headway: Headway, hub: StreamHub, closing: StreamsClosing, authenticate: Authenticate, credentials: CredentialWatch, options: StreamOptions): Promise<void> {
  app.get('/v1/stream/sse', { schema: { hide: true } }, async (request, reply) => {
    const token = tokenOf(request);
    const actor = await authenticate(token);
    const query = request.query as { channel?: string; after?: string };
    if (!query.channel) throw new HeadwayError('VALIDATION_FAILED', 'add ?channel=job:<id>, user:<id> or jobs');
    const after = resumePointOf(request.headers['last-event-id'], query.after);
    const access = await authorizeChannel(headway, actor, query.channel);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`retry: ${RETRY_MS}\n: headway stream\n\n`);
    headway.stats.liveConnections++;
    const batchPass = passBatcher(raw);
    const connection = new StreamConnection({
      headway,
      hub,
      options,
      transport: {
        send: (message, text) => {
          batchPass.batch();
          raw.write(frame(message, text));
        },
        flush: batchPass.flush,
        bufferedBytes: () => raw.writableLength,
      },
      identify: async () => actor,
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), options.sseHeartbeatMs);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      stopWatching();
      headway.stats.liveConnections--;
      connection.close();
    };
    // Ended here, not on 'close': nothing may be written after the final frame.
    const stopWatching = credentials.watch(token!, actor, (error) => {
      end();
      raw.end(unauthorizedFrame(access.channel, error));
    }); // authenticate refuses a missing token
    if (raw.destroyed) return end(); // the client left while its token and channel were checked
    // Closing began while they were checked: this stream's heartbeat would keep close waiting for ever.
    if (closing.begun) {
      raw.end();
      return end();
    }
    const forget = closing.endOnBegin(() => raw.end());
    raw.once('close', () => {
      forget();
      end();
    });
    await connection.follow(access, after).catch((error: unknown) => connection.pushError(error, access.channel));
  });
}

/** Last-Event-ID (set by EventSource on reconnect) wins over `?after=`. */
function resumePointOf(lastEventId: string | string[] | undefined, afterParam: string | undefined): number | undefined {
  const text = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : afterParam;
  if (text === undefined) return undefined;
  const after = Number(text);
  if (!Number.isInteger(after) || after < 0) throw new HeadwayError('VALIDATION_FAILED', `Last-Event-ID / after must be a non-negative integer (the last id you received), not ${JSON.stringify(text.slice(0, 40))}`);
  return after;
}

function frame(message: StreamMessage, text: string): string {
  const id = idOf(message);
  return `${id !== undefined ? `id: ${id}\n` : ''}data: ${text}\n\n`;
}

/** Named `error`, so an EventSource's onerror hears why the stream ended (and data says it too). */
function unauthorizedFrame(channel: Channel, error: HeadwayError): string {
  const message: ServerMessage = { type: 'error', channel, code: error.code, message: error.message };
  return `event: error\n${frame(message, JSON.stringify(message))}`;
}

/** The resume point a message moves the client to; progress, notifications and errors move nothing. */
function idOf(message: StreamMessage): number | undefined {
  if (message.type === 'snapshot' || message.type === 'resync') return message.seq;
  if (message.type !== 'event') return undefined;
  return message.channel.startsWith('job:') ? message.seq : message.cursor;
}
