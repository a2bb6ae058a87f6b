import { HeadwayError } from '@headway/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { echoedPath, routeNotFound } from './errors.js';

const PROBED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Requests no route takes: a dashboard page (when one is served), 405 for a known path called
 * with a method it does not take, 404 for anything else. Like the 404, the 405 is answered before
 * any authentication (the auth hook belongs to the routes' scopes, not this handler's): it tells
 * no more than the public /v1/openapi.json.
 */
export function installNotFoundHandler(app: FastifyInstance, dashboard: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/v1');
    // The dashboard routes in the browser: any page path loads its index.html.
    if (dashboard && isPage) return reply.type('text/html').sendFile('index.html');
    const notFound = routeNotFound(request);
    if (notFound.code !== 'NOT_FOUND') return send(reply, notFound);
    const allowed = allowedMethods(app, request.url);
    if (allowed.length === 0 || allowed.includes(request.method)) return send(reply, notFound);
    reply.header('allow', allowed.join(', '));
    return send(reply, methodNotAllowed(request, allowed));
  });
}

function send(reply: FastifyReply, error: HeadwayError): FastifyReply {
  return reply.status(error.status).send(error.toBody());
}

/**
 * The methods the router takes for this path. Catch-all routes do not count: the dashboard's
 * `GET /*` and the CORS preflight's `OPTIONS /*` match every path, known or not.
 */
function allowedMethods(app: FastifyInstance, url: string): string[] {
  return PROBED_METHODS.filter((method) => {
    const route = app.findRoute({ method, url });
    return route !== null && !Object.hasOwn(route.params ?? {}, '*');
  });
}

function methodNotAllowed(request: FastifyRequest, allowed: string[]): HeadwayError {
  return new HeadwayError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${echoedPath(request)}; it takes ${allowed.join(', ')} (see /v1/openapi.json)`);
}
