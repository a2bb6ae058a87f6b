/** Who is calling: resolved by the HTTP layer from the bearer token, checked by the service. */
export type Actor =
  | { kind: 'admin' }
  | { kind: 'key'; keyId: string; scopes: string[] }
  | { kind: 'user'; userId: string }
  /** In-process callers (runtime handlers, demo, tests). */
  | { kind: 'system' };

export const SYSTEM: Actor = { kind: 'system' };

/** Admins, keys and the system see every job; a user sees only jobs it owns. */
export function canSeeOwner(actor: Actor, owner: string | null): boolean {
  return actor.kind !== 'user' || owner === actor.userId;
}

export function hasScope(actor: Actor, scope: 'jobs:read' | 'jobs:write' | 'keys:admin' | 'notifications:admin'): boolean {
  if (actor.kind === 'admin' || actor.kind === 'system') return true;
  if (actor.kind === 'key') return actor.scopes.includes(scope) || actor.scopes.includes('*');
  // Users act on their own jobs only; ownership is checked per job.
  return scope === 'jobs:read' || scope === 'jobs:write';
}
