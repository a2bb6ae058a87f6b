import { HeadwayError, type ServerMessage } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { StreamConnection } from './stream-connection.js';
import type { StreamHub } from './stream-hub.js';
import { tokenOf } from './websocket-route.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events at /v1/stream/sse?channel=…: each message is one `data:` line; durable
 * ones carry `id:` (the job's seq, or the cursor on multi-job channels) so a reconnecting
 * EventSource resumes with Last-Event-ID.
 */
export async function sseRoute(app: FastifyInstance, headway: Headway, hub: StreamHub, authenticate: Authenticate): Promise<void> {
  app.get('/v1/stream/sse', { schema: { hide: true } }, async (request, reply) => {
    const actor = await authenticate(tokenOf(request));
    const query = request.query as { channel?: string; after?: string };
    if (!query.channel) throw new HeadwayError('VALIDATION_FAILED', 'add ?channel=job:<id>, user:<id> or jobs');
    const lastEventId = request.headers['last-event-id'];
    const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : query.after;
    const after = resumeFrom === undefined ? undefined : Number(resumeFrom);
    if (after !== undefined && !(Number.isInteger(after) && after >= 0)) throw new HeadwayError('VALIDATION_FAILED', 'Last-Event-ID / after must be a non-negative integer');

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': headway stream\n\n');
    headway.stats.liveConnections++;
    const connection = new StreamConnection(headway, hub, actor, {
      send: (text) => raw.write(frame(text)),
      bufferedBytes: () => raw.writableLength,
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      headway.stats.liveConnections--;
      connection.close();
    });
    await connection.subscribe(query.channel, after);
  });
}

function frame(text: string): string {
  const message = JSON.parse(text) as ServerMessage;
  const id = message.type === 'event' ? (message.cursor !== undefined && !message.channel.startsWith('job:') ? message.cursor : message.seq) : message.type === 'snapshot' || message.type === 'resync' ? message.seq : undefined;
  return `${id !== undefined ? `id: ${id}\n` : ''}data: ${text}\n\n`;
}
