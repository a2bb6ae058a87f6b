import { HeadwayError } from '@headway/protocol';
import type { Headway } from '../../headway.js';
import type { Actor } from '../../service/actor.js';
import { ApiKeyLookup } from './api-key-lookup.js';
import { apiKeyIdOf } from './api-keys.js';
import { digestMatcher, ensureAdminKey, ensureTokenSecret, sha256Hex } from './secrets.js';
import { looksLikeJwt, verifyUserToken } from './user-tokens.js';

/**
 * Resolves a bearer token to the actor it speaks for, or throws UNAUTHORIZED saying what is
 * wrong (missing, malformed, unknown, revoked, expired). The stream routes use it too.
 */
export type Authenticate = (token: string | undefined) => Promise<Actor>;

/**
 * Loads (or creates on first start) the admin key hash and the user-token secret, once. API keys
 * are found through `apiKeys`, which the route that revokes keys must tell (see ApiKeyLookup).
 */
export async function createAuthenticator(headway: Headway, apiKeys = new ApiKeyLookup(headway.store.keys, headway.now)): Promise<Authenticate> {
  const { keys } = headway.store;
  const admin = await ensureAdminKey(keys, headway.config.adminKey);
  const tokenSecret = await ensureTokenSecret(keys, headway.config.tokenSecret);
  const isAdminDigest = digestMatcher(admin.hash);

  return async (token) => {
    if (token === undefined || token === '') throw unauthorized('missing token: send the header "Authorization: Bearer <token>"');
    const digest = sha256Hex(token);
    if (isAdminDigest(digest)) return { kind: 'admin' };
    if (looksLikeJwt(token)) return verifyUserToken(tokenSecret, token, headway.now());
    const keyId = apiKeyIdOf(token);
    if (keyId === null) throw unauthorized('malformed token: expected the admin key, an API key (hw_<id>_<secret>) or a user token (JWT)');
    if (keyId === 'admin') throw unauthorized('wrong admin key: it does not match the one this server was started with');
    const key = await apiKeys.find(digest);
    if (!key || key.id !== keyId) throw unauthorized(`unknown API key ${keyId}: no key with this id and secret exists on this server`);
    if (key.revokedAt !== null) throw unauthorized(`API key ${key.id} was revoked at ${new Date(key.revokedAt).toISOString()}; create a new key`);
    return { kind: 'key', keyId: key.id, scopes: key.scopes };
  };
}

/** The token of an `Authorization: Bearer <token>` header; other schemes are an error, not "missing". */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('malformed Authorization header: use "Authorization: Bearer <token>"');
  return match[1];
}

function unauthorized(message: string): HeadwayError {
  return new HeadwayError('UNAUTHORIZED', message);
}
