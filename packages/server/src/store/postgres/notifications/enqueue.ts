import type pg from 'pg';
import type { NewDigestItem, NewNotification } from '../../notification-store.js';
import type { ChannelName, NotificationData } from '../../../notify/types.js';
import type { PgDb, Queryable } from '../pg-db.js';

const CURSOR_SETTING = 'notify.cursor';

export async function insertNotification(db: PgDb, n: NewNotification, now: number, on: Queryable): Promise<boolean> {
  const inserted = await db.run(
    `INSERT INTO notifications (id, idempotency_key, user_id, type, channel, job_id, urgent, status, data, due_at, escalated_from, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8::jsonb, $9, $10, $11, $11) ON CONFLICT (idempotency_key) DO NOTHING`,
    [n.id, n.key, n.userId, n.type, n.channel, n.jobId, n.urgent, JSON.stringify(n.data), n.dueAt, n.escalatedFrom ?? null, now],
    on,
  );
  return inserted > 0;
}

/** Same contract as SQLite: new rows only (UNIQUE keys), and the cursor moves forward with them. */
export async function enqueue(db: PgDb, batch: { notifications: NewNotification[]; digestItems: NewDigestItem[]; cursor?: number }, now: number) {
  return db.transaction(async (client) => {
    let notifications = 0;
    let digestItems = 0;
    for (const n of batch.notifications) if (await insertNotification(db, n, now, client)) notifications++;
    for (const item of batch.digestItems) if (await addDigestItem(db, client, item, now)) digestItems++;
    if (batch.cursor !== undefined) {
      await db.run(
        'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE CAST(settings.value AS BIGINT) < CAST(excluded.value AS BIGINT)',
        [CURSOR_SETTING, String(batch.cursor)],
        client,
      );
    }
    return { notifications, digestItems };
  });
}

export async function savedCursor(db: PgDb): Promise<number | null> {
  const row = await db.one<{ value: string }>('SELECT value FROM settings WHERE name = $1', [CURSOR_SETTING]);
  return row ? Number(row.value) : null;
}

/** The digest row is created with ON CONFLICT and then locked, so nodes adding to one digest at once serialise on it. */
async function addDigestItem(db: PgDb, client: pg.PoolClient, item: NewDigestItem, now: number): Promise<boolean> {
  if (await db.one('SELECT 1 FROM notification_digest_items WHERE item_key = $1', [item.itemKey], client)) return false;
  let windowStart = item.windowStart;
  let windowEnd = item.windowEnd;
  let id = item.digestId;
  for (;;) {
    await db.run(
      `INSERT INTO notification_digests (id, user_id, type, digest_key, window_start, window_end, channels, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, '[]'::jsonb, $7) ON CONFLICT (user_id, type, digest_key, window_start) DO NOTHING`,
      [id, item.userId, item.type, item.digestKey, windowStart, windowEnd, now],
      client,
    );
    const row = (await db.one<{ id: string; window_start: number; window_end: number; channels: ChannelName[]; closed_at: number | null }>(
      'SELECT id, window_start, window_end, channels, closed_at FROM notification_digests WHERE user_id = $1 AND type = $2 AND digest_key = $3 AND window_start = $4 FOR UPDATE',
      [item.userId, item.type, item.digestKey, windowStart],
      client,
    ))!;
    if (row.closed_at === null) {
      id = row.id;
      const channels = [...new Set([...row.channels, ...item.channels])];
      await db.run('UPDATE notification_digests SET channels = $1::jsonb WHERE id = $2', [JSON.stringify(channels), id], client);
      break;
    }
    const length = row.window_end - row.window_start;
    windowStart = row.window_end;
    windowEnd = row.window_end + length;
    id = `${item.digestId}+${windowStart}`;
  }
  const inserted = await db.run(
    'INSERT INTO notification_digest_items (item_key, digest_id, job_id, data, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (item_key) DO NOTHING',
    [item.itemKey, id, item.jobId, JSON.stringify(item.data satisfies NotificationData), now],
    client,
  );
  return inserted > 0;
}
