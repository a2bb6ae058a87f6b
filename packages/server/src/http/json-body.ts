import type { FastifyInstance } from 'fastify';

/**
 * Fastify's JSON parser (prototype-poisoning checks included), except that an empty body
 * counts as no body: `curl -X POST -H 'content-type: application/json' .../pause` is fine.
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parse(request, text, done);
  });
}
