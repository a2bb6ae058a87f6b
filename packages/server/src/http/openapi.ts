import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';
import { SHARED_ANSWER_SCHEMAS, shareErrorAnswers } from './routes/answers.js';

/**
 * Registers the OpenAPI generator and the shared answer schemas (`#/components/schemas/<$id>`);
 * it must come before the routes it describes. Response schemas document answers and nothing else.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.setSerializerCompiler(documentationOnly);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Headway API',
        version: '1',
        description:
          'Track long-running jobs: create, report progress (answered with the control intent), act, list, follow. Errors are {error: {code, message}}. ' +
          'A known path called with a method it does not take answers 405 METHOD_NOT_ALLOWED with an Allow header; an unknown path 404 NOT_FOUND. ' +
          'Boolean query parameters take exactly true or false.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'admin key, API key (hw_<id>_<secret>) or user token (JWT)' } } },
    },
    // Shared schemas keep their $id as their component name (the default numbers them def-0, def-1, ...).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (document) => ('openapiObject' in document ? shareErrorAnswers(document.openapiObject) : document.swaggerObject),
  });
  for (const schema of SHARED_ANSWER_SCHEMAS) app.addSchema(schema);
}

/**
 * Answers are serialized with JSON.stringify whatever the route's response schema says: Fastify's
 * default (fast-json-stringify) drops every field a schema does not list and, for unions such as
 * the batch progress answer, validates each item to pick a branch, on the hottest route. The
 * schemas are there for the OpenAPI document; the contract tests check the answers against it.
 */
const documentationOnly: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** `GET /v1/openapi.json`: the document generated from the route schemas, without auth. */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
