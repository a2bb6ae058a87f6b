import type { ClientMessage } from '@headway/protocol';
import { HeadwayError, wsCloseCodeOf } from '@headway/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { describeJsonValueBreach, findJsonValueBreach } from '../json-value-guard.js';
import type { CredentialWatch } from './credential-watch.js';
import type { StreamOptions } from './options.js';
import { passBatcher } from './corked-writes.js';
import { StreamConnection } from './stream-connection.js';
import type { StreamHub } from './stream-hub.js';
import type { StreamsClosing } from './streams-closing.js';

const MAX_MESSAGE_BYTES = 16_384;
/** Messages a client may send before its token has been checked. */
const MAX_EARLY_MESSAGES = 100;

/**
 * WebSocket at /v1/stream: token in `?token=` or the Authorization header; subscribe/unsubscribe
 * messages. A token refused later (a revoked key, an expired user token) closes it with 4401.
 */
export async function websocketRoute(app: FastifyInstance, headway: Headway, hub: StreamHub, closing: StreamsClosing, authenticate: Authenticate, credentials: CredentialWatch, options: StreamOptions): Promise<void> {
  app.get('/v1/stream', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request: FastifyRequest) => {
    // A socket connecting after the websocket plugin closed the ones it knew would keep close
    // waiting for ever. ws itself answers 503 to an upgrade reaching it after that preClose, so
    // this guards against the plugin or its preClose changing, not a path reachable today.
    if (closing.begun) return socket.terminate();
    const token = tokenOf(request);
    const closeWith = (error: HeadwayError) => socket.close(wsCloseCodeOf(error.code), error.message.slice(0, 120));
    const early: string[] = [];
    let connection: StreamConnection | null = null;
    // Not one more message once the token is refused: the close handshake may take a while.
    const endUnauthorized = (error: HeadwayError) => {
      connection?.close();
      closeWith(error);
    };
    let stopWatching: (() => void) | undefined;
    headway.stats.liveConnections++;
    const stopPinging = keepAlive(socket, options.pingIntervalMs);
    socket.on('close', () => {
      stopPinging();
      stopWatching?.();
      headway.stats.liveConnections--;
      connection?.close();
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? '' : data.toString('utf8');
      if (connection) return handle(connection, text);
      if (early.length >= MAX_EARLY_MESSAGES) return closeWith(new HeadwayError('RATE_LIMITED', 'too many messages before the token was checked'));
      early.push(text);
    });

    authenticate(token)
      .then((actor) => {
        if (socket.readyState !== socket.OPEN) return;
        const batchPass = passBatcher(rawSocketOf(socket));
        connection = new StreamConnection({
          headway,
          hub,
          options,
          transport: {
            send: (_message, text) => {
              batchPass.batch();
              socket.send(text);
            },
            flush: batchPass.flush,
            bufferedBytes: () => socket.bufferedAmount,
          },
          identify: () => authenticate(token),
          onUnauthorized: endUnauthorized,
        });
        stopWatching = credentials.watch(token!, actor, endUnauthorized); // authenticate refuses a missing token
        for (const text of early.splice(0)) handle(connection, text);
      })
      .catch((error: unknown) => closeWith(error instanceof HeadwayError ? error : new HeadwayError('UNAUTHORIZED', 'authentication failed')));
  });
}

/** Pings the peer; one that has not answered the previous ping by the next is gone and is terminated. */
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let alive = true;
  socket.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, intervalMs);
  return () => clearInterval(timer);
}

/** ws keeps its net.Socket private; corking it is the only way to batch frames into one write. */
function rawSocketOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
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
  // 16 KB still hold 5,000 levels, past what the "unknown channel" echo (JSON.stringify) survives.
  const breach = findJsonValueBreach(message);
  if (breach) return connection.pushError(new HeadwayError('VALIDATION_FAILED', describeJsonValueBreach(breach, 'message field', 'the message')));
  if (message?.type === 'subscribe') void connection.subscribe(message.channel, message.after);
  else if (message?.type === 'unsubscribe') connection.unsubscribe(message.channel);
  else if (message?.type === 'ping') connection.pong();
  else connection.pushError(new HeadwayError('VALIDATION_FAILED', 'unknown message type; use "subscribe", "unsubscribe" or "ping"'));
}

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as { token?: unknown };
  return typeof query.token === 'string' ? query.token : undefined;
}
