import type { PgDb } from '../pg-db.js';

/** Rows no dispatcher will send again: the predicate of the notifications_finished index (0009). */
export const NOT_PENDING = "status NOT IN ('queued', 'sending', 'failed', 'deferred')";
/** A digest holds many items (they go with it): fewer digests than notifications per call. */
const ITEMS_PER_DIGEST_GUESS = 10;

/** Same contract as SQLite's: finished notifications, then closed digests, older than `before`; nothing pending. */
export async function purgeExpired(db: PgDb, before: number, limit: number): Promise<number> {
  return db.transaction(async (client) => {
    const notifications = await db.run(
      `DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE ${NOT_PENDING} AND updated_at < $1 ORDER BY updated_at LIMIT $2)`,
      [before, limit],
      client,
    );
    const room = Math.floor((limit - notifications) / ITEMS_PER_DIGEST_GUESS);
    if (room <= 0) return notifications;
    const digests = await db.run(
      'DELETE FROM notification_digests WHERE id IN (SELECT id FROM notification_digests WHERE closed_at IS NOT NULL AND closed_at < $1 ORDER BY closed_at LIMIT $2)',
      [before, room],
      client,
    );
    return notifications + digests;
  });
}
