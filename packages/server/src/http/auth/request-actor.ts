import { HeadwayError } from '@headway/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasScope, type Actor } from '../../service/actor.js';
import { bearerTokenOf, type Authenticate } from './authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the auth hook on every authenticated route. */
    actor: Actor;
  }
}

export type Scope = Parameters<typeof hasScope>[1];

/** Authenticates every route of this scope before its body is even read. */
export function requireAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  app.addHook('onRequest', async (request) => {
    request.actor = await authenticate(bearerTokenOf(request.headers.authorization));
  });
}

/** 403 when the actor's key lacks `scope`; admins and user tokens pass (ownership is checked per job). */
export function requireScope(request: FastifyRequest, scope: Scope): Actor {
  const actor = request.actor;
  if (!hasScope(actor, scope)) throw new HeadwayError('FORBIDDEN', `this API key lacks the "${scope}" scope; create a key with --scopes ${scope}`);
  return actor;
}

/** Admin routes: the admin key, or an API key with `keys:admin`. User tokens never. */
export function requireKeysAdmin(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (actor.kind === 'user') throw new HeadwayError('FORBIDDEN', 'user tokens cannot manage keys or read system status; use the admin key or a key with keys:admin');
  return requireScope(request, 'keys:admin');
}
