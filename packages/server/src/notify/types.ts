import type { ChildCounts, InAppNotification, JobError, JobStatus } from '@headway/protocol';

/** Channels a notification can go out on; a new channel is one adapter in notify/channels plus its name here. */
export const CHANNEL_NAMES = ['in_app', 'email', 'sms', 'webhook', 'log'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/**
 * One exclusive delivery state; read/seen (in-app) are kept apart, on their own columns. skipped:
 * not sent because, when its turn came, the user's preferences no longer wanted it (lastError says why).
 */
export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'deferred', 'dead', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const FREQUENCIES = ['immediate', 'hourly', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * Types the service raises from job events. The set is open: alerts use `alert.<kind>` and any
 * dotted lower-case name is accepted by preferences and templates.
 */
export const JOB_NOTIFICATION_TYPES = ['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.milestone', 'batch.completed'] as const;
export const NOTIFICATION_TYPE_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
/** Template key used for the one message a digest sends (its `type` column keeps the real type). */
export const DIGEST_TEMPLATE = 'digest';

/** What templates see of a job: small, and nothing a worker stored privately (checkpoint, result). */
export interface JobSummary {
  id: string;
  type: string;
  title: string | null;
  owner: string | null;
  parentId: string | null;
  status: JobStatus;
  percent: number;
  done: number;
  total: number | null;
  unit: string | null;
  message: string | null;
  tags: string[];
  error: JobError | null;
  counts: ChildCounts | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The data a notification's templates render: stored with the notification, so a resend renders the same facts. */
export interface NotificationData {
  type: string;
  at: number;
  job: JobSummary | null;
  /** Milestone percent (job.milestone). */
  percent?: number;
  /** done/failed/... counts of a finished batch (batch.completed). */
  counts?: ChildCounts | null;
  /** Free-form facts of an alert (alert.*). */
  alert?: { kind: string; message: string; [field: string]: unknown };
  /** Present on the one message of a digest. */
  digest?: { count: number; windowStart: number; windowEnd: number; items: NotificationData[] };
}

/** Something that happened and may notify people: a job event, or an alert raised by the service. */
export interface Trigger {
  type: string;
  /** Stable id of the happening (job id + event seq, alert id): with recipient and channel it forms the idempotency key. */
  key: string;
  jobId: string | null;
  jobType: string | null;
  parentId: string | null;
  owner: string | null;
  /** Users to notify besides the owner and the watchers (alerts). */
  recipients?: string[];
  data: NotificationData;
}

/** A notification as the API and the in-app feed show it: the wire type, so the two cannot drift. */
export type NotificationView = InAppNotification;
