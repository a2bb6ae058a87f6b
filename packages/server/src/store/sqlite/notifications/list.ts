import type { NotificationAttempt, NotificationQuery, NotificationRecord } from '../../notification-store.js';
import { DELIVERY_STATUSES, type ChannelName, type DeliveryStatus } from '../../../notify/types.js';
import type { SqliteDb } from '../sqlite-db.js';
import { NOTIFICATION_COLUMNS, placeholders, toNotification, type NotificationRow } from './rows.js';

export function getNotification(db: SqliteDb, id: string): NotificationRecord | null {
  const row = db.get<NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ?`, id);
  return row ? toNotification(row) : null;
}

/** Newest first, keyset-paged on (created_at, id); each item carries its attempt history. */
export function listNotifications(db: SqliteDb, query: NotificationQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (query.userId !== undefined) add('user_id = ?', query.userId);
  if (query.statuses?.length) add(`status IN (${placeholders(query.statuses.length)})`, ...query.statuses);
  if (query.type !== undefined) add('type = ?', query.type);
  if (query.channel !== undefined) add('channel = ?', query.channel);
  if (query.jobId !== undefined) add('job_id = ?', query.jobId);
  // The same items unreadCount counts: delivered and not read (see in-app.ts).
  if (query.unreadOnly) add("channel = 'in_app' AND status = 'sent' AND read_at IS NULL");
  if (query.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(query.cursor);
    add('(created_at < ? OR (created_at = ? AND id < ?))', createdAt, createdAt, id);
  }
  const rows = db.all<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`,
    ...params,
    query.limit + 1,
  );
  const page = rows.slice(0, query.limit);
  const history = attemptsOf(db, page.map((r) => r.id));
  const items = page.map((row) => ({ ...toNotification(row), history: history.get(row.id) ?? [] }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null };
}

function attemptsOf(db: SqliteDb, ids: string[]): Map<string, NotificationAttempt[]> {
  const byId = new Map<string, NotificationAttempt[]>();
  if (ids.length === 0) return byId;
  const rows = db.all<{ notification_id: string; attempt: number; channel: string; started_at: number; ended_at: number; outcome: NotificationAttempt['outcome']; error: string | null }>(
    `SELECT notification_id, attempt, channel, started_at, ended_at, outcome, error FROM notification_attempts WHERE notification_id IN (${placeholders(ids.length)}) ORDER BY attempt`,
    ...ids,
  );
  for (const row of rows) {
    const list = byId.get(row.notification_id) ?? [];
    list.push({ attempt: row.attempt, channel: row.channel as ChannelName, startedAt: row.started_at, endedAt: row.ended_at, outcome: row.outcome, error: row.error });
    byId.set(row.notification_id, list);
  }
  return byId;
}

export function countByStatus(db: SqliteDb): Record<DeliveryStatus, number> {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of db.all<{ status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM notifications GROUP BY status')) counts[row.status] = row.n;
  return counts;
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Error('bad cursor');
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string' || value[1].includes('\0')) throw new Error('bad cursor');
  return [value[0], value[1]];
}
