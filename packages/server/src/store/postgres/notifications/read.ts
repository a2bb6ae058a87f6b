import { HeadwayError } from '@headway/protocol';
import type { NotificationAttempt, NotificationQuery } from '../../notification-store.js';
import { DELIVERY_STATUSES, type ChannelName, type DeliveryStatus } from '../../../notify/types.js';
import type { PgDb } from '../pg-db.js';
import { NOTIFICATION_COLUMNS, toNotification, type PgNotificationRow } from './rows.js';

export async function getNotification(db: PgDb, id: string) {
  const row = await db.one<PgNotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1`, [id]);
  return row ? toNotification(row) : null;
}

/** Newest first, keyset-paged on (created_at, id), each with its attempt history. */
export async function listNotifications(db: PgDb, query: NotificationQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.userId !== undefined) where.push(`user_id = ${param(query.userId)}`);
  if (query.statuses?.length) where.push(`status = ANY(${param(query.statuses)}::text[])`);
  if (query.type !== undefined) where.push(`type = ${param(query.type)}`);
  if (query.channel !== undefined) where.push(`channel = ${param(query.channel)}`);
  if (query.jobId !== undefined) where.push(`job_id = ${param(query.jobId)}`);
  // The same items unreadCount counts: delivered and not read (see markAt).
  if (query.unreadOnly) where.push("channel = 'in_app' AND status = 'sent' AND read_at IS NULL");
  if (query.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(query.cursor);
    where.push(`(created_at, id) < (${param(createdAt)}, ${param(id)})`);
  }
  const rows = await db.all<PgNotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const attempts = await db.all<{ notification_id: string; attempt: number; channel: ChannelName; started_at: number; ended_at: number; outcome: NotificationAttempt['outcome']; error: string | null }>(
    'SELECT notification_id, attempt, channel, started_at, ended_at, outcome, error FROM notification_attempts WHERE notification_id = ANY($1::text[]) ORDER BY attempt',
    [page.map((r) => r.id)],
  );
  const history = new Map<string, NotificationAttempt[]>();
  for (const a of attempts) {
    const list = history.get(a.notification_id) ?? [];
    list.push({ attempt: a.attempt, channel: a.channel, startedAt: a.started_at, endedAt: a.ended_at, outcome: a.outcome, error: a.error });
    history.set(a.notification_id, list);
  }
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({ ...toNotification(row), history: history.get(row.id) ?? [] })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string' && !value[1].includes('\0')) return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw new HeadwayError('VALIDATION_FAILED', 'query parameter "cursor" is not one this server gave out; pass nextCursor from the previous page');
}

export async function countByStatus(db: PgDb): Promise<Record<DeliveryStatus, number>> {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of await db.all<{ status: DeliveryStatus; n: number }>('SELECT status, COUNT(*)::int AS n FROM notifications GROUP BY status')) counts[row.status] = row.n;
  return counts;
}

export async function unreadCount(db: PgDb, userId: string): Promise<number> {
  return (await db.one<{ n: number }>("SELECT COUNT(*)::int AS n FROM notifications WHERE user_id = $1 AND channel = 'in_app' AND read_at IS NULL AND status = 'sent'", [userId]))!.n;
}

/** Only delivered items: one deferred by quiet hours marked now would be delivered already read. */
export async function markAt(db: PgDb, column: 'read_at' | 'seen_at', userId: string, ids: string[] | undefined, now: number): Promise<number> {
  const base = `UPDATE notifications SET ${column} = $1 WHERE user_id = $2 AND channel = 'in_app' AND status = 'sent' AND ${column} IS NULL`;
  if (ids === undefined) return db.run(base, [now, userId]);
  if (ids.length === 0) return 0;
  return db.run(`${base} AND id = ANY($3::text[])`, [now, userId, ids]);
}
