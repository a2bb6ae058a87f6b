import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sql.generated.js';
import { migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';

const root = mkdtempSync(join(tmpdir(), 'headway-migrate-0010-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('0010 rebuilds the SQLite outbox for the skipped status and keeps every row, its attempts, indexes and cascade', async () => {
  const file = join(root, 'before-0010.db');
  const old = new SqliteDb(new Database(file));
  migrateSqlite(old, 1_000, SQLITE_MIGRATIONS.filter((m) => m.version < 10));
  old.connection
    .prepare(
      `INSERT INTO notifications (id, idempotency_key, user_id, type, channel, status, data, attempts, due_at, last_error, created_at, updated_at)
       VALUES ('n-1', 'k-1', 'ada', 'job.completed', 'email', 'failed', '{"type":"job.completed","at":1,"job":null}', 1, 5000, 'SMTP 451', 1000, 2000)`,
    )
    .run();
  old.connection.prepare("INSERT INTO notification_attempts VALUES ('n-1', 1, 'email', 1000, 1005, 'failed', 'SMTP 451')").run();
  old.close();

  const store = await openSqliteStore(file);
  try {
    await store.migrate();
    const { items } = await store.notifications.list({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: 'n-1', key: 'k-1', status: 'failed', attempts: 1, lastError: 'SMTP 451', dueAt: 5_000 });
    expect(items[0]!.history).toEqual([{ attempt: 1, channel: 'email', startedAt: 1_000, endedAt: 1_005, outcome: 'failed', error: 'SMTP 451' }]);
    const [claimed] = await store.notifications.claimDue('node', 6_000, 60_000, 10);
    expect(claimed!.id).toBe('n-1');
    expect(await store.notifications.skip('n-1', 'node', 'skipped: ada muted job j-1', 6_001)).toBe(true);
    expect(await store.notifications.get('n-1')).toMatchObject({ status: 'skipped', lastError: 'skipped: ada muted job j-1', leaseOwner: null });
    expect(await store.notifications.purgeExpired(7_000, 10)).toBe(1);
    expect(await store.notifications.get('n-1')).toBeNull();
  } finally {
    await store.close();
  }
  const check = new Database(file, { readonly: true });
  try {
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notifications' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(indexes.map((row) => (row as { name: string }).name)).toEqual(['notifications_by_job', 'notifications_by_user', 'notifications_due', 'notifications_finished', 'notifications_leased', 'notifications_unread']);
    // The attempts went with the purged row: the foreign key points at the rebuilt table.
    expect(check.prepare('SELECT COUNT(*) AS n FROM notification_attempts').get()).toEqual({ n: 0 });
    expect(check.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  } finally {
    check.close();
  }
});
