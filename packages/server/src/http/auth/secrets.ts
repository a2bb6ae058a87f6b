import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyStore } from '../../store/store.js';

const ADMIN_KEY_HASH = 'admin_key_hash';
const TOKEN_SECRET = 'token_secret';

/** One-shot hashing: it runs on every request, and a Hash object per call cost twice as much. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** A constant-time test against one hex digest, whose bytes are made once rather than per call. */
export function digestMatcher(expectedHex: string): (candidateHex: string) => boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  return (candidateHex) => candidateHex.length === expectedHex.length && timingSafeEqual(Buffer.from(candidateHex, 'latin1'), expected);
}

export interface AdminKeyState {
  /** SHA-256 of the admin key in force. */
  hash: string;
  /** The key, only when this call generated it: to be printed once, never stored. */
  generatedKey: string | null;
}

/**
 * The configured admin key wins (`HEADWAY_ADMIN_KEY`); otherwise the one generated on the
 * database's first start, of which only the hash is kept. Safe to call more than once: only
 * the first call on a fresh database generates (and can reveal) a key.
 */
export async function ensureAdminKey(keys: KeyStore, configuredKey: string | undefined): Promise<AdminKeyState> {
  if (configuredKey) return { hash: sha256Hex(configuredKey), generatedKey: null };
  const candidate = `hw_admin_${randomBytes(24).toString('base64url')}`;
  const candidateHash = sha256Hex(candidate);
  const stored = await keys.initSetting(ADMIN_KEY_HASH, candidateHash);
  return { hash: stored, generatedKey: stored === candidateHash ? candidate : null };
}

/** HS256 secret for user tokens: the configured one, else one generated once and kept in settings. */
export async function ensureTokenSecret(keys: KeyStore, configuredSecret: string | undefined): Promise<string> {
  if (configuredSecret) return configuredSecret;
  return keys.initSetting(TOKEN_SECRET, randomBytes(32).toString('base64url'));
}
