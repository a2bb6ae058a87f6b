import type { ChannelName, DeliveryStatus, NotificationData } from '../notify/types.js';
import type { NotificationRecord } from './notification-store.js';

/**
 * A `notifications` row as a driver returns it, in both dialects: `Flag` is how a boolean column
 * comes back (boolean, or SQLite's 0/1) and `Data` the JSON column (parsed JSONB, or text).
 */
export interface NotificationRow<Flag, Data> {
  id: string;
  idempotency_key: string;
  user_id: string;
  type: string;
  channel: string;
  job_id: string | null;
  urgent: Flag;
  status: string;
  data: Data;
  attempts: number;
  due_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  escalated_from: string | null;
  escalated: Flag;
  title: string | null;
  body_text: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  read_at: number | null;
  seen_at: number | null;
}

export const NOTIFICATION_COLUMNS =
  'id, idempotency_key, user_id, type, channel, job_id, urgent, status, data, attempts, due_at, lease_owner, lease_expires_at, last_error, escalated_from, escalated, title, body_text, created_at, updated_at, sent_at, read_at, seen_at';

/** How a dialect decodes its boolean and JSON columns. */
export interface RowDecoding<Flag, Data> {
  flag(value: Flag): boolean;
  data(value: Data): NotificationData;
}

export function decodeNotification<Flag, Data>(row: NotificationRow<Flag, Data>, decode: RowDecoding<Flag, Data>): NotificationRecord {
  return {
    id: row.id,
    key: row.idempotency_key,
    userId: row.user_id,
    type: row.type,
    channel: row.channel as ChannelName,
    jobId: row.job_id,
    urgent: decode.flag(row.urgent),
    status: row.status as DeliveryStatus,
    data: decode.data(row.data),
    attempts: row.attempts,
    dueAt: row.due_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastError: row.last_error,
    escalatedFrom: row.escalated_from,
    escalated: decode.flag(row.escalated),
    title: row.title,
    text: row.body_text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    readAt: row.read_at,
    seenAt: row.seen_at,
  };
}
