import { HeadwayError, type ErrorCode } from '@headway/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The one place errors become HTTP answers: `{error: {code, message}}` with the catalogue's
 * status. Fastify's own errors (body too large, bad JSON, wrong media type) are translated
 * into catalogue codes with a message that says what to fix; anything unexpected is logged
 * with the request id and answered as INTERNAL without leaking internals.
 */
export function errorHandler(bodyLimitBytes: number) {
  return (error: FastifyError | HeadwayError, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof HeadwayError ? error : translate(error as FastifyError, bodyLimitBytes);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(known.status).send(known.toBody());
    }
    request.log.error({ err: error }, 'request failed unexpectedly');
    return reply.status(500).send(new HeadwayError('INTERNAL', `internal error; the server log has details (request ${request.id})`).toBody());
  };
}

function translate(error: FastifyError, bodyLimitBytes: number): HeadwayError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HeadwayError('PAYLOAD_TOO_LARGE', `request body is larger than the limit of ${bodyLimitBytes} bytes; send smaller batches`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HeadwayError('VALIDATION_FAILED', 'unsupported content-type; send JSON with "content-type: application/json"');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HeadwayError('VALIDATION_FAILED', 'content-length does not match the body sent');
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new HeadwayError('VALIDATION_FAILED', `body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) return null;
  return new HeadwayError(codeForStatus(status), error.message);
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'VALIDATION_FAILED';
  }
}

/** The longest path segment the router matches, as sent (percent-encoded); no id in the API comes near it. */
export const MAX_PATH_SEGMENT_CHARS = 2_000;

/**
 * Errors Fastify raises before routing, which skip the error handler: a path whose percent-encoding
 * is not UTF-8 (`/v1/jobs/%ED%A0%80`, a lone surrogate) or with a segment too long to route is a
 * 400 in our format, not Fastify's.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(new HeadwayError('VALIDATION_FAILED', `the path ${JSON.stringify(request.url.split('?')[0])} is not valid percent-encoded UTF-8; encode each character of ids as UTF-8 bytes`).toBody());
    return;
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(400).send(pathSegmentTooLong().toBody());
    return;
  }
  request.log.error({ err: error }, 'request failed before routing');
  void reply.status(500).send(new HeadwayError('INTERNAL', `internal error; the server log has details (request ${request.id})`).toBody());
}

/** How much of an unknown path an error message repeats. */
const ECHOED_PATH_CHARS = 200;

/**
 * Unknown routes under /v1 (and anywhere when no dashboard is served). The router also finds no
 * route for some paths with a segment over MAX_PATH_SEGMENT_CHARS (`/v1/jobs/<3,000 chars>/pause`)
 * instead of raising FST_ERR_MAX_PARAM_LENGTH: those get the same 400.
 */
export function routeNotFound(request: FastifyRequest): HeadwayError {
  const path = request.url.split('?')[0]!;
  if (path.split('/').some((segment) => segment.length > MAX_PATH_SEGMENT_CHARS)) return pathSegmentTooLong();
  return new HeadwayError('NOT_FOUND', `no route ${request.method} ${echoedPath(request)}; the API is described at /v1/openapi.json`);
}

/** The request's path as error messages repeat it: without the query, cut after ECHOED_PATH_CHARS. */
export function echoedPath(request: FastifyRequest): string {
  const path = request.url.split('?')[0]!;
  return path.length > ECHOED_PATH_CHARS ? `${path.slice(0, ECHOED_PATH_CHARS)}…` : path;
}

function pathSegmentTooLong(): HeadwayError {
  return new HeadwayError('VALIDATION_FAILED', `a path segment is longer than ${MAX_PATH_SEGMENT_CHARS} characters; no id is that long (the API's ids are at most 200 characters)`);
}
