import { HeadwayError } from '@headway/protocol';
import type { ApiKeyRecord, KeyStore } from '../store.js';
import type { SqliteDb } from './sqlite-db.js';

interface KeyRow {
  id: string;
  name: string;
  hash: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, hash, scopes, created_at, revoked_at';

/** API keys (by SHA-256 of the secret, never the secret) and small named settings. */
export function sqliteKeyStore(db: SqliteDb): KeyStore {
  return {
    async create(key) {
      try {
        db.run(
          'INSERT INTO api_keys (id, name, hash, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
          key.id,
          key.name,
          key.hash,
          JSON.stringify(key.scopes),
          key.createdAt,
          key.revokedAt,
        );
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new HeadwayError('CONFLICT', `API key ${key.id} (or one with the same secret) already exists; generate a new key`);
        }
        throw error;
      }
    },
    async findByHash(hash) {
      const row = db.get<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`, hash);
      return row ? toKey(row) : null;
    },
    async list() {
      return db.all<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`).map(toKey);
    },
    async revoke(id, now) {
      return db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', now, id).changes > 0;
    },
    async getSetting(name) {
      return db.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', name)?.value ?? null;
    },
    async initSetting(name, value) {
      return db.write(() => {
        db.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', name, value);
        return db.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', name)!.value;
      });
    },
    async compareAndSetSetting(name, expected, value) {
      if (expected === null) return db.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', name, value).changes > 0;
      return db.run('UPDATE settings SET value = ? WHERE name = ? AND value = ?', value, name, expected).changes > 0;
    },
  };
}

function toKey(row: KeyRow): ApiKeyRecord {
  return { id: row.id, name: row.name, hash: row.hash, scopes: JSON.parse(row.scopes) as string[], createdAt: row.created_at, revokedAt: row.revoked_at };
}
