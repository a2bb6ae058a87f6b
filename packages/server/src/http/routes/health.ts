import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { answer, openAnswers } from './answers.js';

const CHECK_TIMEOUT_MS = 2_000;

const Check = Type.String({ description: "'ok', or what is wrong (failing: <reason>, or no answer in time)" });
const HealthAnswer = Type.Object({
  status: Type.Unsafe<'ok' | 'degraded'>({ type: 'string', enum: ['ok', 'degraded'] }),
  ready: Type.Boolean(),
  nodeId: Type.String(),
  checks: Type.Object({ store: Check, bus: Check }),
});

/**
 * Liveness and readiness for load balancers and orchestrators, without auth. Not ready (503)
 * when the store or the bus (Redis, with several nodes) does not answer: a node cut off from
 * Redis would miss other nodes' events, so the balancer should send clients elsewhere.
 */
export async function healthRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const response = openAnswers({ 200: answer('Ready: the store and the bus answer', HealthAnswer), 503: answer('Not ready: send clients elsewhere; checks says why', HealthAnswer) });
  app.get('/v1/health', { schema: { tags: ['system'], summary: 'Health: {status, ready, checks: {store, bus}}; 503 when not ready', response } }, async (_request, reply) => {
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
