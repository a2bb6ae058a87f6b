import type { NewDigestItem, NewNotification } from '../../notification-store.js';
import type { SqliteDb } from '../sqlite-db.js';

/** The settings row holding the newest job-event cursor the enqueuer has turned into notifications. */
const CURSOR_SETTING = 'notify.cursor';

const INSERT_NOTIFICATION = `INSERT INTO notifications
  (id, idempotency_key, user_id, type, channel, job_id, urgent, status, data, due_at, escalated_from, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
  ON CONFLICT (idempotency_key) DO NOTHING`;

export function insertNotification(db: SqliteDb, n: NewNotification, now: number): boolean {
  return db.run(INSERT_NOTIFICATION, n.id, n.key, n.userId, n.type, n.channel, n.jobId, n.urgent ? 1 : 0, JSON.stringify(n.data), n.dueAt, n.escalatedFrom ?? null, now, now).changes > 0;
}

/**
 * One transaction: new rows only (a replayed event hits the UNIQUE keys and adds nothing), and
 * the cursor moves forward with them, so a crash either keeps both or neither.
 */
export function enqueue(db: SqliteDb, batch: { notifications: NewNotification[]; digestItems: NewDigestItem[]; cursor?: number }, now: number) {
  return db.write(() => {
    let notifications = 0;
    let digestItems = 0;
    for (const n of batch.notifications) if (insertNotification(db, n, now)) notifications++;
    for (const item of batch.digestItems) if (addDigestItem(db, item, now)) digestItems++;
    if (batch.cursor !== undefined) {
      db.run(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)',
        CURSOR_SETTING,
        String(batch.cursor),
      );
    }
    return { notifications, digestItems };
  });
}

export function savedCursor(db: SqliteDb): number | null {
  const row = db.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', CURSOR_SETTING);
  return row ? Number(row.value) : null;
}

interface DigestRow {
  id: string;
  window_start: number;
  window_end: number;
  channels: string;
  closed_at: number | null;
}

/**
 * Adds an event to the open digest of (user, type, key, window), creating it on first use. A
 * digest that another node already closed (clock skew at the window's end) sends this item in
 * the next window instead of losing it.
 */
function addDigestItem(db: SqliteDb, item: NewDigestItem, now: number): boolean {
  if (db.get('SELECT 1 FROM notification_digest_items WHERE item_key = ?', item.itemKey)) return false;
  let windowStart = item.windowStart;
  let windowEnd = item.windowEnd;
  let id = item.digestId;
  for (;;) {
    const row = db.get<DigestRow>(
      'SELECT id, window_start, window_end, channels, closed_at FROM notification_digests WHERE user_id = ? AND type = ? AND digest_key = ? AND window_start = ?',
      item.userId,
      item.type,
      item.digestKey,
      windowStart,
    );
    if (!row) {
      db.run(
        'INSERT INTO notification_digests (id, user_id, type, digest_key, window_start, window_end, channels, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        id,
        item.userId,
        item.type,
        item.digestKey,
        windowStart,
        windowEnd,
        JSON.stringify(item.channels),
        now,
      );
      break;
    }
    if (row.closed_at === null) {
      id = row.id;
      const channels = new Set([...(JSON.parse(row.channels) as string[]), ...item.channels]);
      db.run('UPDATE notification_digests SET channels = ? WHERE id = ?', JSON.stringify([...channels]), id);
      break;
    }
    const length = row.window_end - row.window_start;
    windowStart = row.window_end;
    windowEnd = row.window_end + length;
    id = `${item.digestId}+${windowStart}`;
  }
  db.run('INSERT INTO notification_digest_items (item_key, digest_id, job_id, data, created_at) VALUES (?, ?, ?, ?, ?)', item.itemKey, id, item.jobId, JSON.stringify(item.data), now);
  return true;
}
