import { assertSchemaNotNewer, pendingMigrations, type Migration } from '../migrations/migration.js';
import { SQLITE_MIGRATIONS } from '../migrations/sql.generated.js';
import type { SqliteDb } from './sqlite-db.js';

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/** Versions recorded in schema_migrations (none for a new file). */
export function appliedVersions(db: SqliteDb): number[] {
  const ledger = db.connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!ledger) return [];
  return db.connection
    .prepare('SELECT version FROM schema_migrations ORDER BY version')
    .all()
    .map((row) => (row as { version: number }).version);
}

export function assertSqliteSchemaNotNewer(db: SqliteDb): void {
  assertSchemaNotNewer(SQLITE_MIGRATIONS, appliedVersions(db));
}

/**
 * Applies each pending migration in its own immediate transaction with its ledger row, so a
 * crash leaves a migration either fully applied and recorded or not at all. Another process
 * migrating the same file at once waits for the lock and then finds the work done.
 */
export function migrateSqlite(db: SqliteDb, now: number, known: readonly Migration[] = SQLITE_MIGRATIONS): void {
  db.connection.exec(CREATE_LEDGER);
  for (const migration of pendingMigrations(known, appliedVersions(db))) {
    db.write(() => {
      if (appliedVersions(db).includes(migration.version)) return;
      db.connection.exec(migration.sql);
      db.connection.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, now);
    });
  }
}
