import type { SqliteDb } from '../sqlite-db.js';

/** Rows no dispatcher will send again: the predicate of the notifications_finished index (0009). */
export const NOT_PENDING = "status NOT IN ('queued', 'sending', 'failed', 'deferred')";
/** A digest holds many items (they go with it): fewer digests than notifications per call. */
const ITEMS_PER_DIGEST_GUESS = 10;

/**
 * Deletes up to `limit` notifications that were sent, dead or skipped before `before` (their
 * attempts go with them), oldest first, then closed digests with their items while the limit
 * allows. Anything still waiting to be sent or retried stays. Returns how many rows went.
 */
export function purgeExpired(db: SqliteDb, before: number, limit: number): number {
  return db.write(() => {
    const notifications = db.run(
      `DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE ${NOT_PENDING} AND updated_at < ? ORDER BY updated_at LIMIT ?)`,
      before,
      limit,
    ).changes;
    const room = Math.floor((limit - notifications) / ITEMS_PER_DIGEST_GUESS);
    if (room <= 0) return notifications;
    const digests = db.run(
      'DELETE FROM notification_digests WHERE id IN (SELECT id FROM notification_digests WHERE closed_at IS NOT NULL AND closed_at < ? ORDER BY closed_at LIMIT ?)',
      before,
      room,
    ).changes;
    return notifications + digests;
  });
}
