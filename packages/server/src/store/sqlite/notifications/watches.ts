import type { Watch } from '../../notification-store.js';
import type { SqliteDb } from '../sqlite-db.js';
import { placeholders } from './rows.js';

export function watch(db: SqliteDb, w: Watch): boolean {
  const result = db.run(
    'INSERT INTO notification_watches (target_kind, target, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    w.target.kind,
    w.target.value,
    w.userId,
    w.createdAt,
  );
  return result.changes > 0;
}

export function unwatch(db: SqliteDb, userId: string, target: Watch['target']): boolean {
  return db.run('DELETE FROM notification_watches WHERE target_kind = ? AND target = ? AND user_id = ?', target.kind, target.value, userId).changes > 0;
}

export function watchesOf(db: SqliteDb, userId: string): Watch[] {
  return db
    .all<{ target_kind: 'job' | 'type'; target: string; created_at: number }>(
      'SELECT target_kind, target, created_at FROM notification_watches WHERE user_id = ? ORDER BY created_at, target',
      userId,
    )
    .map((row) => ({ userId, target: { kind: row.target_kind, value: row.target }, createdAt: row.created_at }));
}

export function watchers(db: SqliteDb, jobIds: string[], jobType: string | null): string[] {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (jobIds.length > 0) {
    clauses.push(`(target_kind = 'job' AND target IN (${placeholders(jobIds.length)}))`);
    params.push(...jobIds);
  }
  if (jobType !== null) {
    clauses.push("(target_kind = 'type' AND target = ?)");
    params.push(jobType);
  }
  if (clauses.length === 0) return [];
  return db.all<{ user_id: string }>(`SELECT DISTINCT user_id FROM notification_watches WHERE ${clauses.join(' OR ')}`, ...params).map((r) => r.user_id);
}
