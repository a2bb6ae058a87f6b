import type { SqliteDb } from '../sqlite-db.js';
import { placeholders } from './rows.js';

/**
 * In-app read/seen state lives beside the delivery state, never in it. Only delivered items
 * (status 'sent') are unread, counted or marked: one deferred by quiet hours is not in the user's
 * feed yet, and marking it would deliver it already read. The list's unread filter agrees (list.ts).
 */
export function unreadCount(db: SqliteDb, userId: string): number {
  return db.get<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND channel = 'in_app' AND read_at IS NULL AND status = 'sent'", userId)!.n;
}

export function markAt(db: SqliteDb, column: 'read_at' | 'seen_at', userId: string, ids: string[] | undefined, now: number): number {
  const base = `UPDATE notifications SET ${column} = ? WHERE user_id = ? AND channel = 'in_app' AND status = 'sent' AND ${column} IS NULL`;
  if (ids === undefined) return db.run(base, now, userId).changes;
  if (ids.length === 0) return 0;
  return db.run(`${base} AND id IN (${placeholders(ids.length)})`, now, userId, ...ids).changes;
}
