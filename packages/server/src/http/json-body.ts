import { HeadwayError } from '@headway/protocol';
import type { FastifyInstance } from 'fastify';
import { describeJsonValueBreach, findJsonValueBreach } from './json-value-guard.js';
import { describeUnstorableText, findUnstorableText, jsonMayHoldUnstorableText } from './text-guard.js';

/**
 * JSON bodies only, with Fastify's JSON parser (prototype-poisoning checks included), except that an empty body
 * counts as no body: `curl -X POST -H 'content-type: application/json' .../pause` is fine.
 * Text no store can keep as sent (NUL, lone surrogates) is refused here, for every route at once;
 * the raw-text test keeps that free for the bodies that have none (the progress hot path).
 * Nesting deeper than MAX_JSON_DEPTH and numbers past the double range are refused too
 * (json-value-guard.ts): a walk of every body, ~0.1 µs for one progress report, ~25 µs for 500.
 */
export function installJsonParser(app: FastifyInstance): void {
  // The API speaks JSON only: a text body is answered "send JSON", not "expected object".
  app.removeContentTypeParser('text/plain');
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // application/merge-patch+json is JSON too (RFC 7396, PATCH of preferences).
  app.addContentTypeParser(['application/json', 'application/merge-patch+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    const guarded = jsonMayHoldUnstorableText(text);
    return parse(request, text, (error, value) => {
      if (error) return done(refusalOf(error, text), undefined);
      const found = guarded ? findUnstorableText(value) : null;
      if (found) return done(new HeadwayError('VALIDATION_FAILED', describeUnstorableText(found, 'body field', 'the body')), undefined);
      const breach = findJsonValueBreach(value);
      if (breach) return done(new HeadwayError('VALIDATION_FAILED', describeJsonValueBreach(breach, 'body field', 'the body')), undefined);
      return done(null, value);
    });
  });
}

/**
 * Fastify's parser answers "not valid JSON" for prototype-poisoning keys too, which sends the
 * sender looking for a syntax error: text that JSON.parse accepts was refused for its keys.
 */
function refusalOf(error: Error, text: string): Error {
  try {
    JSON.parse(text);
  } catch {
    return error;
  }
  return new HeadwayError('VALIDATION_FAILED', 'the body has a key named "__proto__" (or a "constructor" holding "prototype"); rename it: such keys are refused in every body');
}
