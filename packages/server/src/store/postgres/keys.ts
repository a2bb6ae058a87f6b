import { HeadwayError } from '@headway/protocol';
import type { ApiKeyRecord, KeyStore } from '../store.js';
import { sqlState, type PgDb } from './pg-db.js';

interface KeyRow {
  id: string;
  name: string;
  hash: string;
  scopes: string[];
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, hash, scopes, created_at, revoked_at';

/** API keys (by SHA-256 of the secret, never the secret) and small named settings. */
export function postgresKeyStore(db: PgDb): KeyStore {
  const readSetting = async (name: string) => (await db.one<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]))?.value ?? null;
  return {
    async create(key) {
      try {
        await db.run(`INSERT INTO api_keys (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`, [
          key.id,
          key.name,
          key.hash,
          JSON.stringify(key.scopes),
          key.createdAt,
          key.revokedAt,
        ]);
      } catch (error) {
        if (sqlState(error) === '23505') throw new HeadwayError('CONFLICT', `API key ${key.id} (or one with the same secret) already exists; generate a new key`);
        throw error;
      }
    },
    async findByHash(hash) {
      const row = await db.one<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = $1`, [hash]);
      return row ? toKey(row) : null;
    },
    async list() {
      return (await db.all<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`)).map(toKey);
    },
    async revoke(id, now) {
      return (await db.run('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])) > 0;
    },
    getSetting: readSetting,
    async initSetting(name, value) {
      // Two statements on purpose: the read needs a snapshot taken after a racing insert committed.
      await db.run('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]);
      return (await readSetting(name))!;
    },
    async compareAndSetSetting(name, expected, value) {
      // A racing UPDATE waits for the winner's commit, then finds the value changed and updates nothing.
      if (expected === null) return (await db.run('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value])) > 0;
      return (await db.run('UPDATE settings SET value = $1 WHERE name = $2 AND value = $3', [value, name, expected])) > 0;
    },
  };
}

function toKey(row: KeyRow): ApiKeyRecord {
  return { id: row.id, name: row.name, hash: row.hash, scopes: row.scopes, createdAt: row.created_at, revokedAt: row.revoked_at };
}
