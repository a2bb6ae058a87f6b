import type { ChannelName, NotificationData } from '../../../notify/types.js';
import type { SqliteDb } from '../sqlite-db.js';
import { insertNotification } from './enqueue.js';

interface DueDigest {
  id: string;
  user_id: string;
  type: string;
  window_start: number;
  window_end: number;
  channels: string;
}

/**
 * Closes every digest whose window has ended and writes its one message per channel, keyed by
 * digest and channel, in the same transaction: a crash leaves the digest open with no message
 * (retried next round) or closed with all of them, and never sends part of it.
 */
export function flushDigests(db: SqliteDb, now: number, newId: () => string): number {
  return db.write(() => {
    const due = db.all<DueDigest>(
      'SELECT id, user_id, type, window_start, window_end, channels FROM notification_digests WHERE closed_at IS NULL AND window_end <= ? ORDER BY window_end LIMIT 500',
      now,
    );
    let written = 0;
    for (const digest of due) {
      const items = db
        .all<{ data: string }>('SELECT data FROM notification_digest_items WHERE digest_id = ? ORDER BY created_at, item_key', digest.id)
        .map((row) => JSON.parse(row.data) as NotificationData);
      const data: NotificationData = {
        type: digest.type,
        at: digest.window_end,
        job: null,
        digest: { count: items.length, windowStart: digest.window_start, windowEnd: digest.window_end, items },
      };
      for (const channel of JSON.parse(digest.channels) as ChannelName[]) {
        const key = `digest:${digest.id}|${channel}`;
        if (items.length > 0 && insertNotification(db, { id: newId(), key, userId: digest.user_id, type: digest.type, channel, jobId: null, urgent: false, data, dueAt: now }, now)) written++;
      }
      db.run('UPDATE notification_digests SET closed_at = ? WHERE id = ?', now, digest.id);
    }
    return written;
  });
}
