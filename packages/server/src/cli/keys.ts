import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { HeadwayError } from '@headway/protocol';
import { loadConfig } from '../config/load.js';
import { KEY_RECHECK_MS } from '../http/auth/api-key-lookup.js';
import { createApiKey, parseScopes, revokeApiKey, type ApiKeyView } from '../http/auth/api-keys.js';
import { isPostgresUrl, openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

type Env = Record<string, string | undefined>;

/**
 * `headway keys ...` works on the database directly, so it needs no running server. Listing or
 * revoking in a SQLite file that is not there is a mistyped --db: refused, rather than answered
 * from a new empty database. Creating there makes the database (keys before the first start).
 */
async function withStore<T>(db: string | undefined, env: Env, work: (store: Store) => Promise<T>, missing: 'refuse' | 'create' = 'refuse', out?: Writable): Promise<T> {
  const config = loadConfig({ db }, env);
  const file = sqliteFileOf(config.db);
  if (file !== null && !existsSync(file)) {
    if (missing === 'refuse') throw new HeadwayError('VALIDATION_FAILED', `no Headway database at ${file}; check --db (or HEADWAY_DB): use the path the server was started with`);
    out?.write(`No database was at ${file}: created one. Start the server with --db ${config.db} for this key to work.\n`);
  }
  const store = await openStore(config.db);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function createKeyCommand(options: { name: string; scopes: string; db?: string }, env: Env, out: Writable): Promise<void> {
  const scopes = parseScopes(options.scopes);
  const { key, token } = await withStore(options.db, env, (store) => createApiKey(store.keys, options.name, scopes, Date.now()), 'create', out);
  out.write(`Created API key ${key.id} "${key.name}" with scopes ${key.scopes.join(',')}.\n`);
  out.write(`Key (shown only this once, it is stored hashed):\n${token}\n`);
}

export async function listKeysCommand(options: { db?: string }, env: Env, out: Writable): Promise<void> {
  const keys = await withStore(options.db, env, (store) => store.keys.list());
  if (keys.length === 0) return void out.write('No API keys. Create one with: headway keys create --name worker --scopes jobs:write,jobs:read\n');
  const rows = keys.map((k) => row(k));
  const widths = rows[0]!.map((_, i) => Math.max(...[HEADER, ...rows].map((r) => r[i]!.length)));
  for (const r of [HEADER, ...rows]) out.write(`${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
}

export async function revokeKeyCommand(id: string, options: { db?: string }, env: Env, out: Writable): Promise<void> {
  await withStore(options.db, env, (store) => revokeApiKey(store.keys, id, Date.now()));
  out.write(`Revoked API key ${id}; running servers refuse it with 401 within ${KEY_RECHECK_MS / 1000} s.\n`);
}

/** The file a SQLite database setting names, or null for PostgreSQL URLs and in-memory databases. */
function sqliteFileOf(db: string): string | null {
  if (isPostgresUrl(db) || db === ':memory:' || db.startsWith('file:')) return null;
  return resolve(db);
}

const HEADER = ['ID', 'NAME', 'SCOPES', 'CREATED', 'STATUS'];

function row(key: ApiKeyView): string[] {
  const status = key.revokedAt === null ? 'active' : `revoked ${new Date(key.revokedAt).toISOString()}`;
  return [key.id, key.name, key.scopes.join(','), new Date(key.createdAt).toISOString(), status];
}
