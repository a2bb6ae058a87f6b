import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';

/** Tokens travel in headers and, for WebSocket and SSE, in `?token=`: neither may reach a log line. */
export function loggerOptions(config: Config): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.token', '*.adminKey', '*.tokenSecret', '*.key'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string; id?: string }) => ({ method: request.method, url: withoutToken(request.url), remoteAddress: request.ip }),
    },
  };
}

export function withoutToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
