import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { CredentialWatch } from './credential-watch.js';
import { DEFAULT_STREAM_OPTIONS, type StreamOptions } from './options.js';
import { sseRoute } from './sse-route.js';
import { StreamHub, type StreamPressure } from './stream-hub.js';
import { StreamsClosing } from './streams-closing.js';
import { websocketRoute } from './websocket-route.js';

export type { StreamOptions } from './options.js';
export type { StreamPressure } from './stream-hub.js';

const hubs = new WeakMap<FastifyInstance, StreamHub>();

/** Live streams: WebSocket at /v1/stream and SSE at /v1/stream/sse, sharing one hub per app. */
export async function registerStreamRoutes(app: FastifyInstance, headway: Headway, authenticate: Authenticate, overrides: Partial<StreamOptions> = {}): Promise<void> {
  const options: StreamOptions = { ...DEFAULT_STREAM_OPTIONS, ...overrides };
  const hub = new StreamHub(headway.bus, headway.interest);
  hubs.set(app, hub);
  const closing = new StreamsClosing();
  const credentials = new CredentialWatch(authenticate, headway.now, headway.logger);
  app.addHook('preClose', async () => closing.begin());
  app.addHook('onClose', async () => hub.close());
  await app.register(websocket, { options: { maxPayload: 65_536 } });
  await app.register(async (scope) => {
    await websocketRoute(scope, headway, hub, closing, authenticate, credentials, options);
    await sseRoute(scope, headway, hub, closing, authenticate, credentials, options);
  });
}

/** How far behind the live connections of an app are (undefined when it has no stream routes). */
export function streamPressureOf(app: FastifyInstance): StreamPressure | undefined {
  return hubs.get(app)?.pressure();
}
