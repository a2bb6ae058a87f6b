import { HeadwayError } from '@headway/protocol';
import { hasScope, type Actor } from '../service/actor.js';

/**
 * A user token minted by an API key without `notifications:admin` reaches only its user's jobs:
 * the key could not read that user's notifications or preferences, so its token must not either.
 * Set by the authenticator from the token's `hw_reach` claim; tokens without the claim (signed
 * by the host app, minted by the admin key or a notifications key) reach everything of their user.
 */
export interface JobsOnlyUser {
  kind: 'user';
  userId: string;
  reach: 'jobs';
}

function isJobsOnly(actor: Actor): boolean {
  return actor.kind === 'user' && (actor as Partial<JobsOnlyUser>).reach === 'jobs';
}

/**
 * A user token reads and changes only its own notifications, preferences and watches; the
 * admin key and API keys with `notifications:admin` may act for any user.
 */
export function requireUserAccess(actor: Actor, userId: string, what: string): void {
  if (actor.kind === 'user') {
    if (actor.userId !== userId) throw new HeadwayError('FORBIDDEN', `a user token can only reach its own ${what} (user ${actor.userId}), not those of ${userId}`);
    if (isJobsOnly(actor)) {
      throw new HeadwayError('FORBIDDEN', `this user token reaches only jobs: it was minted by an API key without the "notifications:admin" scope, so it cannot reach ${what}; mint it with a key that has that scope`);
    }
    return;
  }
  requireNotificationsScope(actor);
}

/** Whether the actor may read `userId`'s notifications: the same rule as requireUserAccess, as a test. */
export function canReadUserNotifications(actor: Actor, userId: string): boolean {
  if (actor.kind === 'user') return actor.userId === userId && !isJobsOnly(actor);
  return hasScope(actor, 'notifications:admin');
}

/** Template administration: the admin key or an API key with notifications:admin, never a user token. */
export function requireNotificationsAdmin(actor: Actor): void {
  if (actor.kind === 'user') throw new HeadwayError('FORBIDDEN', 'user tokens cannot manage notification templates; use the admin key or an API key with notifications:admin');
  requireNotificationsScope(actor);
}

function requireNotificationsScope(actor: Actor): void {
  if (!hasScope(actor, 'notifications:admin')) throw new HeadwayError('FORBIDDEN', 'this API key lacks the "notifications:admin" scope; create a key with --scopes notifications:admin');
}
