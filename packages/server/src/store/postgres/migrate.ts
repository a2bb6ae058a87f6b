import { assertSchemaNotNewer, pendingMigrations, type Migration } from '../migrations/migration.js';
import { POSTGRES_MIGRATIONS } from '../migrations/sql.generated.js';
import { LOCK_MIGRATIONS } from './locks.js';
import type { PgDb, Queryable } from './pg-db.js';

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Versions recorded in schema_migrations of the store's schema (none before the first migrate). */
export async function appliedVersions(db: PgDb, on: Queryable = db.pool): Promise<number[]> {
  const ledger = await db.one<{ found: string | null }>("SELECT to_regclass('schema_migrations')::text AS found", [], on);
  if (!ledger?.found) return [];
  return (await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version', [], on)).map((row) => row.version);
}

export async function assertPostgresSchemaNotNewer(db: PgDb): Promise<void> {
  assertSchemaNotNewer(POSTGRES_MIGRATIONS, await appliedVersions(db));
}

/**
 * Applies every pending migration in one transaction under an advisory lock: PostgreSQL DDL is
 * transactional, so a crash leaves all of them applied and recorded or none; a second node
 * starting at the same moment waits on the lock and then finds nothing pending.
 */
export async function migratePostgres(db: PgDb, now: number, known: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<void> {
  await db.transaction(async (client) => {
    await client.query(LOCK_MIGRATIONS, [db.options.schema]);
    // Only when missing: CREATE SCHEMA needs a privilege on the database that using one does not.
    const exists = await db.one('SELECT 1 FROM pg_namespace WHERE nspname = $1', [db.options.schema], client);
    if (!exists) await client.query(`CREATE SCHEMA ${db.options.schema}`);
    await client.query(CREATE_LEDGER);
    for (const migration of pendingMigrations(known, await appliedVersions(db, client))) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
    }
  });
}
