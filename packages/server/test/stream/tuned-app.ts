import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Headway } from '../../src/headway.js';
import { createAuthenticator } from '../../src/http/auth/authenticate.js';
import { registerStreamRoutes, type StreamOptions } from '../../src/http/stream/index.js';

/**
 * The stream routes alone, on a second port of a running node, with small limits so the
 * slow-consumer and dead-peer paths are reached in a second instead of minutes.
 */
export async function startTunedStreamApp(headway: Headway, options: Partial<StreamOptions>): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await registerStreamRoutes(app, headway, await createAuthenticator(headway), options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
