import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { serviceUrl } from './services.js';

/**
 * Which store integration tests run on: SQLite by default, PostgreSQL with
 * HEADWAY_TEST_STORE=postgres (.ci/run runs the whole suite once each way).
 */
export type TestStoreKind = 'sqlite' | 'postgres';

export function testStoreKind(): TestStoreKind {
  const kind = process.env.HEADWAY_TEST_STORE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`HEADWAY_TEST_STORE must be sqlite or postgres, not "${kind}"`);
  return kind;
}

/**
 * A fresh database for one test node, as the `db` setting names it: a SQLite file in `dir`, or a
 * PostgreSQL URL with a schema of its own (created by the node's migrations). Reusing the value
 * reopens the same data, so restart tests work on either store.
 */
export function freshTestDb(dir: string): string {
  if (testStoreKind() === 'sqlite') return join(dir, 'headway.db');
  const pgUrl = serviceUrl('pgUrl');
  if (!pgUrl) throw new Error('HEADWAY_TEST_STORE=postgres needs the PostgreSQL the global setup starts (is /usr/lib/postgresql/15/bin/initdb installed?)');
  return `${pgUrl}?schema=t_${randomBytes(6).toString('hex')}`;
}

/** Drops what `freshTestDb` made on PostgreSQL (SQLite files go with their temp folder). */
export async function dropTestDb(db: string): Promise<void> {
  const match = /^(postgres:\/\/[^?]+)\?schema=(t_[0-9a-f]{12})$/.exec(db);
  if (!match) return;
  const client = new pg.Client({ connectionString: match[1] });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${match[2]} CASCADE`);
  } finally {
    await client.end();
  }
}
