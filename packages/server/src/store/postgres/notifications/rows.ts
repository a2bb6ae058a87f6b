import type { NotificationRecord } from '../../notification-store.js';
import type { ChannelName, DeliveryStatus, NotificationData } from '../../../notify/types.js';

export interface PgNotificationRow {
  id: string;
  idempotency_key: string;
  user_id: string;
  type: string;
  channel: string;
  job_id: string | null;
  urgent: boolean;
  status: string;
  data: NotificationData;
  attempts: number;
  due_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  escalated_from: string | null;
  escalated: boolean;
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

export function toNotification(row: PgNotificationRow): NotificationRecord {
  return {
    id: row.id,
    key: row.idempotency_key,
    userId: row.user_id,
    type: row.type,
    channel: row.channel as ChannelName,
    jobId: row.job_id,
    urgent: row.urgent,
    status: row.status as DeliveryStatus,
    data: row.data,
    attempts: row.attempts,
    dueAt: row.due_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastError: row.last_error,
    escalatedFrom: row.escalated_from,
    escalated: row.escalated,
    title: row.title,
    text: row.body_text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    readAt: row.read_at,
    seenAt: row.seen_at,
  };
}
