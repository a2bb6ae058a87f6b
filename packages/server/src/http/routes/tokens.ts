import { HeadwayError } from '@headway/protocol';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { ensureTokenSecret } from '../auth/secrets.js';
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS, mintUserToken } from '../auth/user-tokens.js';
import { hasScope } from '../../service/actor.js';
import { answer, authenticatedAnswers } from './answers.js';
import { bearer } from './schemas.js';

const CreateTokenBody = Type.Object(
  {
    sub: Type.String({ minLength: 1, maxLength: 200, description: 'the user id; the token sees only jobs whose owner is this' }),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_TTL_SECONDS, description: `lifetime, default ${DEFAULT_TOKEN_TTL_SECONDS}` })),
  },
  { additionalProperties: false },
);
type CreateTokenBody = Static<typeof CreateTokenBody>;

const TokenAnswer = Type.Object({
  token: Type.String({ description: 'a JWT for Authorization: Bearer, or ?token= on the live streams' }),
  expiresAt: Type.Integer({ description: 'epoch ms, a whole second' }),
});

/** What a user token may do to its own jobs, so what the key minting it must already hold. */
const MINTING_SCOPES = ['jobs:read', 'jobs:write'] as const;

/** Mints user tokens for browsers; servers holding an API key (or the admin key) call it. */
export async function tokenRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const secret = await ensureTokenSecret(headway.store.keys, headway.config.tokenSecret);
  app.post<{ Body: CreateTokenBody }>(
    '/v1/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Mint a user token {token, expiresAt} (the admin key, or an API key with jobs:read and jobs:write)',
        description:
          'The token reads and changes its user\'s jobs. It also reaches its user\'s notifications, preferences and watches only when the minting key has notifications:admin (or is the admin key); otherwise it carries the claim hw_reach "jobs" and those routes answer 403.',
        body: CreateTokenBody,
        security: bearer,
        response: authenticatedAnswers({ 201: answer('The token', TokenAnswer) }, [400, 413]),
      },
    },
    async (request, reply) => {
      if (request.actor.kind === 'user') throw new HeadwayError('FORBIDDEN', 'a user token cannot mint tokens; call POST /v1/tokens with an API key');
      // A user token reads and changes its user's jobs: a key without both powers must not hand them out.
      for (const scope of MINTING_SCOPES) {
        if (!hasScope(request.actor, scope)) {
          throw new HeadwayError('FORBIDDEN', `minting a user token needs a key with the ${MINTING_SCOPES.join(' and ')} scopes (the token reads and changes its user's jobs); this key lacks "${scope}"`);
        }
      }
      const { sub, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS } = request.body;
      // Nor may a token reach its user's notifications when its key could not (requireUserAccess reads the claim).
      const reach = hasScope(request.actor, 'notifications:admin') ? 'all' : 'jobs';
      return reply.status(201).send(await mintUserToken(secret, sub, ttlSeconds, headway.now(), reach));
    },
  );
}
