import { randomBytes } from 'node:crypto';
import { HeadwayError } from '@headway/protocol';
import type { ApiKeyRecord, KeyStore } from '../../store/store.js';
import { sha256Hex } from './secrets.js';

/** What an API key may be allowed to do; `keys:admin` also covers `/v1/system`. */
export const API_KEY_SCOPES = ['jobs:read', 'jobs:write', 'keys:admin', 'notifications:admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** `hw_<id>_<secret>`: the id is public (listed, revoked by), the secret is shown once. */
const API_KEY_PATTERN = /^hw_([A-Za-z0-9]+)_([A-Za-z0-9_-]{16,})$/;

export function apiKeyIdOf(token: string): string | null {
  return API_KEY_PATTERN.exec(token)?.[1] ?? null;
}

/** An API key as listed: never the secret, never the hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
}

export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return { id: record.id, name: record.name, scopes: record.scopes, createdAt: record.createdAt, revokedAt: record.revokedAt };
}

export function parseScopes(list: string): ApiKeyScope[] {
  const scopes = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new HeadwayError('VALIDATION_FAILED', `unknown scope "${unknown.join(',')}"; use ${API_KEY_SCOPES.join(', ')}`);
  if (scopes.length === 0) throw new HeadwayError('VALIDATION_FAILED', `give at least one scope: ${API_KEY_SCOPES.join(', ')}`);
  return [...new Set(scopes)] as ApiKeyScope[];
}

/** Creates a key and answers its token, which exists only in this answer (the store keeps its hash). */
export async function createApiKey(keys: KeyStore, name: string, scopes: readonly ApiKeyScope[], now: number): Promise<{ key: ApiKeyView; token: string }> {
  const id = randomBytes(6).toString('hex');
  const token = `hw_${id}_${randomBytes(24).toString('base64url')}`;
  const record: ApiKeyRecord = { id, name, hash: sha256Hex(token), scopes: [...scopes], createdAt: now, revokedAt: null };
  await keys.create(record);
  return { key: toApiKeyView(record), token };
}

export async function revokeApiKey(keys: KeyStore, id: string, now: number): Promise<void> {
  if (await keys.revoke(id, now)) return;
  const known = (await keys.list()).find((k) => k.id === id);
  if (!known) throw new HeadwayError('NOT_FOUND', `API key ${id} does not exist; list keys with GET /v1/keys or headway keys list`);
  // Revoking twice is harmless: the key is already unusable.
}
