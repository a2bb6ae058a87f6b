import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import type { ApiKeyLookup } from '../auth/api-key-lookup.js';
import { API_KEY_SCOPES, createApiKey, revokeApiKey, toApiKeyView, type ApiKeyScope } from '../auth/api-keys.js';
import { requireKeysAdmin } from '../auth/request-actor.js';
import { answer, authenticatedAnswers } from './answers.js';
import { bearer } from './schemas.js';

const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'what the key is for, e.g. "worker"' }),
    scopes: Type.Array(Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s))), { minItems: 1, maxItems: API_KEY_SCOPES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);
type CreateKeyBody = Static<typeof CreateKeyBody>;

const KeyIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const ScopeList = Type.Array(Type.Unsafe<ApiKeyScope>({ type: 'string', enum: [...API_KEY_SCOPES] }));

/** ApiKeyView: never the secret, never its hash. */
const ApiKeyAnswer = Type.Object({
  id: Type.String({ description: 'public: the <id> of hw_<id>_<secret>' }),
  name: Type.String(),
  scopes: ScopeList,
  createdAt: Type.Integer({ description: 'epoch ms' }),
  revokedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'epoch ms; null while the key works' }),
});

const CreatedKeyAnswer = Type.Object({ ...ApiKeyAnswer.properties, key: Type.String({ description: 'the key itself, hw_<id>_<secret>: shown only in this answer' }) });

/**
 * API keys for servers and workers: created (secret shown once), listed, revoked. Admin only.
 * A revoked key is forgotten by `apiKeys` here at once; other nodes stop taking it within KEY_RECHECK_MS.
 */
export async function keyRoutes(app: FastifyInstance, { headway, apiKeys }: { headway: Headway; apiKeys: ApiKeyLookup }): Promise<void> {
  const { keys } = headway.store;

  app.post<{ Body: CreateKeyBody }>(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key; the answer holds its secret "key", shown only this once',
        body: CreateKeyBody,
        security: bearer,
        response: authenticatedAnswers({ 201: answer('The key, with its secret', CreatedKeyAnswer) }, [400, 413]),
      },
    },
    async (request, reply) => {
      requireKeysAdmin(request);
      const { key, token } = await createApiKey(keys, request.body.name, request.body.scopes as ApiKeyScope[], headway.now());
      return reply.status(201).send({ ...key, key: token });
    },
  );

  const listAnswers = authenticatedAnswers({ 200: answer('Every key, revoked ones included', Type.Object({ items: Type.Array(ApiKeyAnswer) })) }, []);
  app.get('/v1/keys', { schema: { tags: ['keys'], summary: 'List API keys (never their secrets)', security: bearer, response: listAnswers } }, async (request) => {
    requireKeysAdmin(request);
    return { items: (await keys.list()).map(toApiKeyView) };
  });

  app.delete<{ Params: { id: string } }>(
    '/v1/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key; requests with it fail with 401 from now on (on other nodes within a second)',
        params: KeyIdParams,
        security: bearer,
        response: authenticatedAnswers({ 200: answer('The key as revoked (revoking again changes nothing)', ApiKeyAnswer) }, [400, 404]),
      },
    },
    async (request) => {
      requireKeysAdmin(request);
      await revokeApiKey(keys, request.params.id, headway.now());
      apiKeys.forget(request.params.id);
      const revoked = (await keys.list()).find((k) => k.id === request.params.id)!;
      return toApiKeyView(revoked);
    },
  );
}
