import { HeadwayError } from '@headway/protocol';
import { hasScope, type Actor } from '../service/actor.js';

/**
 * A user token reads and changes only its own notifications, preferences and watches; the
 * admin key and API keys with `notifications:admin` may act for any user.
 */
export function requireUserAccess(actor: Actor, userId: string, what: string): void {
  if (actor.kind === 'user') {
    if (actor.userId !== userId) throw new HeadwayError('FORBIDDEN', `a user token can only reach its own ${what} (user ${actor.userId}), not those of ${userId}`);
    return;
  }
  requireNotificationsScope(actor);
}

/** Template administration: the admin key or an API key with notifications:admin, never a user token. */
export function requireNotificationsAdmin(actor: Actor): void {
  if (actor.kind === 'user') throw new HeadwayError('FORBIDDEN', 'user tokens cannot manage notification templates; use the admin key or an API key with notifications:admin');
  requireNotificationsScope(actor);
}

function requireNotificationsScope(actor: Actor): void {
  if (!hasScope(actor, 'notifications:admin')) throw new HeadwayError('FORBIDDEN', 'this API key lacks the "notifications:admin" scope; create a key with --scopes notifications:admin');
}
