/** Where the sign-in token lives: this tab only, gone when the tab closes. */
const STORAGE_KEY = 'headway.token';

/**
 * Takes a `?token=` the server printed (`headway serve` shows `/?token=...`) into session
 * storage and removes it from the address bar and history at once, so it is not bookmarked,
 * shared or sent as a referrer. Answers the token in use, if any.
 */
export function adoptTokenFromUrl(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return storage.getItem(STORAGE_KEY);
}

export function saveToken(storage: Storage, token: string): void {
  storage.setItem(STORAGE_KEY, token);
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

/** Who a token speaks for, as far as the browser can tell without asking the server. */
export type Identity = { kind: 'user'; userId: string; expiresAt: number | null } | { kind: 'key' };

/**
 * User tokens are JWTs whose `sub` is the user id; admin and API keys are opaque. The payload
 * is read, not verified: the server verifies every request, this only picks what to show.
 */
export function identityOf(token: string): Identity {
  const parts = token.split('.');
  if (parts.length !== 3) return { kind: 'key' };
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(json) as { sub?: unknown; exp?: unknown };
    if (typeof payload.sub !== 'string' || payload.sub === '') return { kind: 'key' };
    return { kind: 'user', userId: payload.sub, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null };
  } catch {
    return { kind: 'key' };
  }
}
