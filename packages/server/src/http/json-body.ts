import { HeadwayError } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import { describeUnstorableText, findUnstorableText, jsonMayHoldUnstorableText } from './text-guard.js';

/**
 * JSON bodies only, with Fastify's JSON parser (prototype-poisoning checks included), except that an empty body
 * counts as no body: `curl -X POST -H 'content-type: application/json' .../pause` is fine.
 * Text no store can keep as sent (NUL, lone surrogates) is refused here, for every route at once;
 * the raw-text test keeps that free for the bodies that have none (the progress hot path).
 */
export function installJsonParser(app: FastifyInstance): void {
  // The API speaks JSON only: a text body is answered "send JSON", not "expected object".
  app.removeContentTypeParser('text/plain');
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    if (!jsonMayHoldUnstorableText(text)) return parse(request, text, done);
    return parse(request, text, (error, value) => {
      const found = error ? null : findUnstorableText(value);
      if (found) return done(new HeadwayError('VALIDATION_FAILED', describeUnstorableText(found, 'body field', 'the body')), undefined);
      return done(error, value);
    });
  });
}
