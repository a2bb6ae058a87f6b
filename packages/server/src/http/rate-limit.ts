import rateLimit from '@fastify/rate-limit';
import { HeadwayError } from '@headway/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Requests per minute per token (per IP for unauthenticated routes). It runs after the auth
 * hook so the key is the actor, not a header an attacker can vary; the admin key is exempt.
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => limitKeyOf(request),
    allowList: (request) => request.actor?.kind === 'admin',
    errorResponseBuilder: (_request, context) =>
      new HeadwayError('RATE_LIMITED', `more than ${context.max} requests per minute with this token; retry in ${context.after}, or batch progress with POST /v1/progress`),
  });
}

function limitKeyOf(request: FastifyRequest): string {
  const actor = request.actor as FastifyRequest['actor'] | null;
  switch (actor?.kind) {
    case 'key':
      return `key:${actor.keyId}`;
    case 'user':
      return `user:${actor.userId}`;
    default:
      return `ip:${request.ip}`;
  }
}
