import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies only, with Fastify's JSON parser (prototype-poisoning checks included), except that an empty body
 * counts as no body: `curl -X POST -H 'content-type: application/json' .../pause` is fine.
 */
export function installJsonParser(app: FastifyInstance): void {
  // The API speaks JSON only: a text body is answered "send JSON", not "expected object".
  app.removeContentTypeParser('text/plain');
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parse(request, text, done);
  });
}
