import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Headway } from '../headway.js';
import { ApiKeyLookup } from './auth/api-key-lookup.js';
import { createAuthenticator } from './auth/authenticate.js';
import { requireAuthentication } from './auth/request-actor.js';
import { endKeptAliveConnectionsOnClose } from './close-kept-alive.js';
import { registerCors } from './cors.js';
import { DEFAULT_DASHBOARD_DIR, registerDashboard } from './dashboard.js';
import { MAX_PATH_SEGMENT_CHARS, errorHandler, frameworkErrorHandler } from './errors.js';
import { installJsonParser } from './json-body.js';
import { loggerOptions, withoutToken } from './logger.js';
import { installNotFoundHandler } from './not-found.js';
import { openApiRoute, registerOpenApi } from './openapi.js';
import { registerRateLimit } from './rate-limit.js';
import { actionRoutes } from './routes/actions.js';
import { analyticsRoutes } from './routes/analytics.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { keyRoutes } from './routes/keys.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { progressRoutes } from './routes/progress.js';
import { systemRoutes } from './routes/system.js';
import { tokenRoutes } from './routes/tokens.js';
import { registerStreamRoutes } from './stream/index.js';
import { typeboxValidatorCompiler } from './validation.js';

export interface HttpAppOptions {
  /** Built dashboard to serve at `/`; null serves none. Defaults to packages/dashboard/dist when present. */
  dashboardDir?: string | null;
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: { write(line: string): unknown };
}

/**
 * The HTTP face of one Headway node: REST under /v1, live streams, OpenAPI and the dashboard.
 * The caller owns the node's lifecycle (closing the app does not stop the node) and may add
 * routes before `listen`/`ready`.
 */
export async function buildHttpApp(headway: Headway, options: HttpAppOptions = {}): Promise<FastifyInstance> {
  const { config } = headway;
  const app = Fastify({
    logger: { ...loggerOptions(config), ...(options.logStream ? { stream: options.logStream } : {}) },
    // Workers report progress many times a second: per-request lines go to debug (below), not info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    // Fastify's default (100) is counted on the raw path and answered as a 500, before the route's
    // schema can name the field: room for a 200-character id percent-encoded (9 per character).
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT_CHARS },
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setErrorHandler(errorHandler(config.bodyLimitBytes));
  installJsonParser(app);
  endKeptAliveConnectionsOnClose(app);
  app.decorateRequest('actor', null as never);
  // Only at debug level: a hook runs on every report, and one that builds a line nobody writes is pure cost.
  if (app.log.level === 'debug' || app.log.level === 'trace') {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug({ method: request.method, url: withoutToken(request.url), statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime) }, 'request done');
    });
  }

  await registerOpenApi(app);
  await registerRateLimit(app, config.rateLimitPerMinute);
  registerCors(app, config.corsOrigins);
  const apiKeys = new ApiKeyLookup(headway.store.keys, headway.now);
  const authenticate = await createAuthenticator(headway, apiKeys);

  await app.register(async (api) => {
    requireAuthentication(api, authenticate);
    for (const routes of [jobRoutes, progressRoutes, actionRoutes, eventRoutes, tokenRoutes, systemRoutes, analyticsRoutes]) {
      await api.register(routes, headway);
    }
    await api.register(keyRoutes, { headway, apiKeys });
  });
  await app.register(async (open) => {
    await healthRoutes(open, headway);
    await openApiRoute(open);
  });
  await registerStreamRoutes(app, headway, authenticate);
  await registerNotificationRoutes(app, headway, authenticate);

  const dashboard = await registerDashboard(app, options.dashboardDir === undefined ? DEFAULT_DASHBOARD_DIR : options.dashboardDir);
  installNotFoundHandler(app, dashboard);
  return app;
}
