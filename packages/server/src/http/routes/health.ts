import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness and readiness for load balancers and orchestrators, without auth. Not ready (503)
 * when the store or the bus (Redis, with several nodes) does not answer: a node cut off from
 * Redis would miss other nodes' events, so the balancer should send clients elsewhere.
 */
export async function healthRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  app.get('/v1/health', { schema: { tags: ['system'], summary: 'Health: {status, ready, checks: {store, bus}}; 503 when not ready' } }, async (_request, reply) => {
    const [store, bus] = await Promise.all([check(() => headway.store.ping()), check(() => headway.bus.ping?.() ?? Promise.resolve())]);
    const ready = store === 'ok' && bus === 'ok';
    const status = ready && bus === 'ok' ? 'ok' : 'degraded';
    return reply.status(ready ? 200 : 503).send({ status, ready, nodeId: headway.nodeId, checks: { store, bus } });
  });
}

/** 'ok', or what went wrong (a failure or no answer in time). */
async function check(probe: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then(() => 'ok'), timeout]);
  } catch (error) {
    return `failing: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
