import { describe, expect, it } from 'vitest';
import { adoptTokenFromUrl, identityOf } from '../src/session/token';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe('sign-in token from the URL', () => {
  it('keeps the token in session storage and removes it from the address, keeping the route', () => {
    const storage = memoryStorage();
    let replaced = '';
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (replaced = url) } as unknown as History;
    const location = { href: 'http://127.0.0.1:8080/?token=hw_admin_secret&x=1#/jobs?status=running' } as Location;
    expect(adoptTokenFromUrl(location, history, storage)).toBe('hw_admin_secret');
    expect(replaced).toBe('/?x=1#/jobs?status=running');
    expect(storage.getItem('headway.token')).toBe('hw_admin_secret');
  });

  it('tells a user token (JWT with sub) from an opaque key', () => {
    const payload = btoa(JSON.stringify({ sub: 'ana', exp: 2_000_000_000 })).replace(/=+$/, '');
    expect(identityOf(`eyJhbGciOiJIUzI1NiJ9.${payload}.signature`)).toEqual({ kind: 'user', userId: 'ana', expiresAt: 2_000_000_000_000 });
    expect(identityOf('hw_admin_0123456789abcdef')).toEqual({ kind: 'key' });
    expect(identityOf('a.not-base64!.c')).toEqual({ kind: 'key' });
  });
});
