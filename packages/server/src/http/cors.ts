import type { FastifyInstance } from 'fastify';

// PUT and PATCH too: browser code saves preferences (PATCH), mutes jobs and edits templates (PUT).
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, last-event-id, idempotency-key';
const EXPOSED_HEADERS = 'retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, idempotent-replayed';

/**
 * Lets host apps' browser code call the API with user tokens. Credentials are bearer tokens,
 * never cookies, so allowing an origin grants it nothing a token does not already grant.
 * `corsOrigins`: `*`, a comma list of exact origins, or `none`.
 */
export function registerCors(app: FastifyInstance, corsOrigins: string): void {
  const list = corsOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  if (list.includes('none')) return;
  const anyOrigin = list.includes('*');
  const allowedOrigin = (origin: string): string | null => (anyOrigin ? '*' : list.includes(origin) ? origin : null);

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    const allowed = origin ? allowedOrigin(origin) : null;
    if (!allowed) return;
    reply.header('access-control-allow-origin', allowed);
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    if (!anyOrigin) reply.header('vary', 'Origin');
  });

  app.options('/*', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !allowedOrigin(origin)) return reply.status(204).send();
    const requested = request.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', ALLOWED_METHODS);
    reply.header('access-control-allow-headers', typeof requested === 'string' && requested ? requested : DEFAULT_ALLOWED_HEADERS);
    reply.header('access-control-max-age', '600');
    return reply.status(204).send();
  });
}
