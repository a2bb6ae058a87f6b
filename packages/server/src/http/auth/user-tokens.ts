import { HeadwayError } from '@headway/protocol';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { JobsOnlyUser } from '../../notify/access.js';
import type { Actor } from '../../service/actor.js';
import { unstorableTextMessage } from '../text-guard.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 3_600;
export const MAX_TOKEN_TTL_SECONDS = 30 * 86_400;

/** A JWT has three base64url parts; the first decodes to a JSON header starting `{"`. */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * The claim limiting a user token to its user's jobs (value "jobs"). Absent, the token also reaches
 * its user's notifications, preferences and watches, as every token signed before it existed does.
 */
export const REACH_CLAIM = 'hw_reach';
/** What a user token reaches: everything of its user, or only its user's jobs. */
export type UserTokenReach = 'all' | 'jobs';

/** Signs a user token (HS256) for `sub`; the host app can sign the same with the shared secret. */
export async function mintUserToken(secret: string, sub: string, ttlSeconds: number, nowMs: number, reach: UserTokenReach = 'all'): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(nowMs / 1000);
  // Rounded up: rounded down with iat, a 1-second token could arrive already expired.
  const exp = Math.ceil(nowMs / 1000) + ttlSeconds;
  const claims = reach === 'jobs' ? { [REACH_CLAIM]: 'jobs' } : {};
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt(issuedAt).setExpirationTime(exp).sign(keyOf(secret));
  return { token, expiresAt: exp * 1000 };
}

/** Verifies signature, expiry (against `nowMs`, not jose's own clock) and `sub`; every failure says which one it was. */
export async function verifyUserToken(secret: string, token: string, nowMs: number): Promise<Actor> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'], currentDate: new Date(nowMs) });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthorized('user token has an empty "sub" claim; sign it with the user id as sub');
    // The user id becomes an owner in SQL parameters: NUL there is a 500 on PostgreSQL, not a refusal.
    const unstorable = unstorableTextMessage(payload.sub, 'user token claim "sub"');
    if (unstorable) throw unauthorized(unstorable);
    const reach = payload[REACH_CLAIM];
    if (reach === undefined) return { kind: 'user', userId: payload.sub };
    // Fail closed: a claim this server does not understand must not widen what the token reaches.
    if (reach !== 'jobs') throw unauthorized(`user token claim "${REACH_CLAIM}" must be "jobs" (or absent for full access to its user), got ${JSON.stringify(reach)?.slice(0, 60)}`);
    const jobsOnly: JobsOnlyUser = { kind: 'user', userId: payload.sub, reach: 'jobs' };
    return jobsOnly;
  } catch (error) {
    if (error instanceof HeadwayError) throw error;
    if (error instanceof errors.JWTExpired) {
      const exp = typeof error.payload.exp === 'number' ? ` at ${new Date(error.payload.exp * 1000).toISOString()}` : '';
      throw unauthorized(`user token expired${exp}; mint a new one with POST /v1/tokens`);
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) throw unauthorized('user token signature does not verify: it was signed with another secret');
    if (error instanceof errors.JWTClaimValidationFailed) throw unauthorized(`user token is missing the "${error.claim}" claim; user tokens need sub and exp`);
    if (error instanceof errors.JOSEAlgNotAllowed) throw unauthorized('user token must be signed with HS256');
    if (error instanceof errors.JOSEError) throw unauthorized(`malformed user token: ${error.message}`);
    throw error;
  }
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function unauthorized(message: string): HeadwayError {
  return new HeadwayError('UNAUTHORIZED', message);
}
