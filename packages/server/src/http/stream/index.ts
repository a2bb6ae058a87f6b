import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { Authenticate } from '../auth/authenticate.js';
import { sseRoute } from './sse-route.js';
import { StreamHub } from './stream-hub.js';
import { websocketRoute } from './websocket-route.js';

/** Live streams: WebSocket at /v1/stream and SSE at /v1/stream/sse, sharing one hub per app. */
export async function registerStreamRoutes(app: FastifyInstance, headway: Headway, authenticate: Authenticate): Promise<void> {
  const hub = new StreamHub(headway.bus);
  app.addHook('onClose', async () => hub.close());
  await app.register(websocket, { options: { maxPayload: 65_536 } });
  await app.register(async (scope) => {
    await websocketRoute(scope, headway, hub, authenticate);
    await sseRoute(scope, headway, hub, authenticate);
  });
}
