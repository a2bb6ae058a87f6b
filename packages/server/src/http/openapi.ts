import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** Registers the OpenAPI generator; it must come before the routes it describes. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Headway API',
        version: '1',
        description: 'Track long-running jobs: create, report progress (answered with the control intent), act, list, follow. Errors are {error: {code, message}}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'admin key, API key (hw_<id>_<secret>) or user token (JWT)' } } },
    },
  });
}

/** `GET /v1/openapi.json`: the document generated from the route schemas, without auth. */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
