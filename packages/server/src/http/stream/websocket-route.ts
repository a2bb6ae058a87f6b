import type { ClientMessage } from '@headway/protocol';
import { HeadwayError, wsCloseCodeOf } from '@headway/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { StreamConnection } from './stream-connection.js';
import type { StreamHub } from './stream-hub.js';

const PING_EVERY_MS = 30_000;
const MAX_MESSAGE_BYTES = 16_384;

/** WebSocket at /v1/stream: token in `?token=` or the Authorization header; subscribe/unsubscribe messages. */
export async function websocketRoute(app: FastifyInstance, headway: Headway, hub: StreamHub, authenticate: Authenticate): Promise<void> {
  app.get('/v1/stream', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request: FastifyRequest) => {
    const early: string[] = [];
    let connection: StreamConnection | null = null;
    let alive = true;
    headway.stats.liveConnections++;
    const ping = setInterval(() => {
      if (!alive) return socket.terminate(); // no pong since the last ping: the peer is gone
      alive = false;
      socket.ping();
    }, PING_EVERY_MS);
    socket.on('pong', () => (alive = true));
    socket.on('close', () => {
      clearInterval(ping);
      headway.stats.liveConnections--;
      connection?.close();
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? '' : data.toString('utf8');
      if (connection) handle(connection, text);
      else early.push(text);
    });

    authenticate(tokenOf(request))
      .then((actor) => {
        connection = new StreamConnection(headway, hub, actor, { send: (text) => socket.send(text), bufferedBytes: () => socket.bufferedAmount });
        for (const text of early.splice(0)) handle(connection, text);
      })
      .catch((error: unknown) => {
        const known = error instanceof HeadwayError ? error : new HeadwayError('UNAUTHORIZED', 'authentication failed');
        socket.close(wsCloseCodeOf(known.code), known.message.slice(0, 120));
      });
  });
}

function handle(connection: StreamConnection, text: string): void {
  if (text.length === 0 || text.length > MAX_MESSAGE_BYTES) {
    return connection.pushError(new HeadwayError('VALIDATION_FAILED', `messages must be JSON text of at most ${MAX_MESSAGE_BYTES} bytes`));
  }
  let message: ClientMessage;
  try {
    message = JSON.parse(text) as ClientMessage;
  } catch {
    return connection.pushError(new HeadwayError('VALIDATION_FAILED', 'message is not valid JSON; send {"type":"subscribe","channel":"job:<id>"}'));
  }
  if (message?.type === 'subscribe') void connection.subscribe(message.channel, message.after);
  else if (message?.type === 'unsubscribe') connection.unsubscribe(message.channel);
  else connection.pushError(new HeadwayError('VALIDATION_FAILED', 'unknown message type; use "subscribe" or "unsubscribe"'));
}

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as { token?: unknown };
  return typeof query.token === 'string' ? query.token : undefined;
}
