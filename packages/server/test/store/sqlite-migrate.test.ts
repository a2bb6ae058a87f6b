import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sql.generated.js';
import { appliedVersions, migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';

const root = mkdtempSync(join(tmpdir(), 'headway-migrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tables = (db: SqliteDb) =>
  db.connection
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'm_%' ORDER BY name")
    .all()
    .map((row) => (row as { name: string }).name);

describe('SQLite migration runner', () => {
  it('applies each migration with its ledger row in one transaction: a failing one leaves no trace', () => {
    const db = new SqliteDb(new Database(join(root, 'failing.db')));
    const good = { version: 1, name: '0001_good', sql: 'CREATE TABLE m_one (id INTEGER PRIMARY KEY);' };
    const bad = { version: 2, name: '0002_bad', sql: 'CREATE TABLE m_two (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);' };
    expect(() => migrateSqlite(db, 1_000, [good, bad])).toThrow(/no_such_table/);
    expect(appliedVersions(db)).toEqual([1]);
    expect(tables(db)).toEqual(['m_one']);

    const fixed = { ...bad, sql: 'CREATE TABLE m_two (id INTEGER PRIMARY KEY);' };
    migrateSqlite(db, 2_000, [good, fixed]);
    migrateSqlite(db, 3_000, [good, fixed]);
    expect(appliedVersions(db)).toEqual([1, 2]);
    expect(tables(db)).toEqual(['m_one', 'm_two']);
    db.close();
  });

  it('0005 keys the updatedAt listings of jobs written before it on their updatedAt', async () => {
    const file = join(root, 'before-0005.db');
    const old = new SqliteDb(new Database(file));
    migrateSqlite(old, 1_000, SQLITE_MIGRATIONS.filter((m) => m.version < 5));
    const insert = old.connection.prepare(
      "INSERT INTO jobs (id, type, status, control, metrics, max_attempts, created_at, updated_at, seq) VALUES (?, 'import', 'running', 'run', '{}', 3, ?, ?, 1)",
    );
    insert.run('older-but-busier', 1_000, 9_000);
    insert.run('newer-but-quiet', 2_000, 3_000);
    old.close();

    const store = await openSqliteStore(file);
    try {
      await store.migrate();
      expect((await store.jobs.get('older-but-busier'))?.activeAt).toBe(9_000);
      expect((await store.jobs.list({ sort: '-updatedAt', limit: 10 })).items.map((job) => job.id)).toEqual(['older-but-busier', 'newer-but-quiet']);
    } finally {
      await store.close();
    }
  });
});
