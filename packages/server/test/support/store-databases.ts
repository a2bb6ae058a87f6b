import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

/** Fresh SQLite files in one temp folder for store suites; `openSame` reopens a store's file. */
export function sqliteTestFiles(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), `headway-${prefix}-`));
  const fileOf = new WeakMap<Store, string>();
  let count = 0;
  const open = async (path: string): Promise<Store> => {
    const store = await openSqliteStore(path);
    fileOf.set(store, path);
    return store;
  };
  return {
    openFresh: () => open(join(root, `${prefix}-${++count}.db`)),
    openSame: (store: Store) => open(fileOf.get(store)!),
    fileOf: (store: Store) => fileOf.get(store)!,
    /** Deletes the folder with every file (call in afterAll). */
    removeAll: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs `work` on a connection of its own to the test PostgreSQL, outside any store. */
export async function asPostgresAdmin<T>(pgUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A schema of its own per store in the test PostgreSQL, as graphile-worker and pg-boss isolate
 * theirs; `openSame` opens another store on a store's schema. Nothing connects before the first
 * open, so suites skipped for want of PostgreSQL (pgUrl null) can still call this.
 */
export function postgresTestSchemas(pgUrl: string | null, prefix: string) {
  const schemaOf = new WeakMap<Store, string>();
  const schemas: string[] = [];
  const freshSchema = () => {
    const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  };
  const open = async (schema: string): Promise<Store> => {
    const store = await openPostgresStore(pgUrl!, { schema, maxConnections: 6 });
    schemaOf.set(store, schema);
    return store;
  };
  return {
    freshSchema,
    openSchema: open,
    openFresh: () => open(freshSchema()),
    openSame: (store: Store) => open(schemaOf.get(store)!),
    schemaOf: (store: Store) => schemaOf.get(store)!,
    /** Drops every schema handed out (call in afterAll). */
    dropAll: async () => {
      if (schemas.length > 0) await asPostgresAdmin(pgUrl!, (client) => client.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`));
    },
  };
}
