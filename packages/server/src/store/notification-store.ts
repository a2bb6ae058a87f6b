import type { Preferences } from '../notify/preferences/schema.js';
import type { TemplateSource } from '../notify/templates/defaults.js';
import type { ChannelName, DeliveryStatus, NotificationData } from '../notify/types.js';

/** One row of the outbox as written by the enqueuer; `key` is UNIQUE (event × recipient × channel). */
export interface NewNotification {
  id: string;
  key: string;
  userId: string;
  type: string;
  channel: ChannelName;
  jobId: string | null;
  urgent: boolean;
  data: NotificationData;
  dueAt: number;
  escalatedFrom?: string | null;
}

/** One event going into a user's digest (user, type, key, window); `itemKey` is UNIQUE. */
export interface NewDigestItem {
  digestId: string;
  itemKey: string;
  userId: string;
  type: string;
  digestKey: string;
  windowStart: number;
  windowEnd: number;
  channels: ChannelName[];
  jobId: string | null;
  data: NotificationData;
}

export interface NotificationAttempt {
  attempt: number;
  channel: ChannelName;
  startedAt: number;
  endedAt: number;
  outcome: 'sent' | 'failed' | 'dead';
  error: string | null;
}

export interface NotificationRecord {
  id: string;
  key: string;
  userId: string;
  type: string;
  channel: ChannelName;
  jobId: string | null;
  urgent: boolean;
  status: DeliveryStatus;
  data: NotificationData;
  attempts: number;
  dueAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastError: string | null;
  escalatedFrom: string | null;
  escalated: boolean;
  title: string | null;
  text: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  readAt: number | null;
  seenAt: number | null;
}

/** The outcome of one send, applied only while the sender still holds the lease. */
export interface AttemptOutcome {
  id: string;
  leaseOwner: string;
  attempt: NotificationAttempt;
  status: 'sent' | 'failed' | 'dead';
  /** When to try again (failed). */
  dueAt?: number;
  title?: string | null;
  text?: string | null;
}

export interface NotificationQuery {
  userId?: string;
  statuses?: DeliveryStatus[];
  type?: string;
  channel?: ChannelName;
  jobId?: string;
  unreadOnly?: boolean;
  limit: number;
  /** Opaque cursor from the previous page (newest first). */
  cursor?: string;
}

export interface Watch {
  userId: string;
  target: { kind: 'job' | 'type'; value: string };
  createdAt: number;
}

/**
 * Notifications: preferences, watches, template overrides, the durable outbox with its attempt
 * history, digests, and the in-app read state. Each method is one transaction.
 */
export interface NotificationStore {
  getPreferences(userIds: string[]): Promise<Map<string, Preferences>>;
  /**
   * Reads a user's preferences (the defaults when none are stored), applies `change` and saves its
   * result, holding the user's row throughout, so concurrent changes (two muted jobs, a mute and a
   * save of other fields) all survive. `change` returning `current` itself writes nothing; throwing
   * writes nothing and rejects with its error. Answers the preferences as they now are.
   */
  updatePreferences(userId: string, change: (current: Preferences) => Preferences, now: number): Promise<Preferences>;

  watch(watch: Watch): Promise<boolean>;
  unwatch(userId: string, target: Watch['target']): Promise<boolean>;
  watchesOf(userId: string): Promise<Watch[]>;
  /** Users watching any of these jobs or this job type. */
  watchers(jobIds: string[], jobType: string | null): Promise<string[]>;

  getTemplate(type: string, channel: ChannelName): Promise<TemplateSource | null>;
  listTemplates(): Promise<Array<{ type: string; channel: ChannelName; template: TemplateSource; updatedAt: number }>>;
  putTemplate(type: string, channel: ChannelName, template: TemplateSource, now: number): Promise<void>;
  deleteTemplate(type: string, channel: ChannelName): Promise<boolean>;

  /**
   * Writes notifications and digest items, skipping any whose key exists already, and moves the
   * saved event cursor forward (never back), all in one transaction. Returns how many rows were new.
   */
  enqueue(batch: { notifications: NewNotification[]; digestItems: NewDigestItem[]; cursor?: number }, now: number): Promise<{ notifications: number; digestItems: number }>;
  /** The job-event cursor the enqueuer has written up to (null before its first start). */
  savedCursor(): Promise<number | null>;
  /** Turns every digest whose window ended into one notification per channel, closing it in the same transaction. */
  flushDigests(now: number, newId: () => string): Promise<number>;
  /** Due queued/failed/deferred rows → sending, leased to `leaseOwner`, oldest due first. */
  claimDue(leaseOwner: string, now: number, leaseExpiresAt: number, limit: number): Promise<NotificationRecord[]>;
  /** Sending rows back to queued: those of `leaseOwner` (restart), or whose lease expired (another node died). */
  requeueLeased(request: { leaseOwner?: string; leaseExpiredBefore?: number }, now: number): Promise<number>;
  /** Records an attempt and the new state; false when the lease was lost meanwhile (nothing written). */
  complete(outcome: AttemptOutcome, now: number): Promise<boolean>;
  /** Puts a claimed row back as deferred until `dueAt` (quiet hours), without counting an attempt. */
  defer(id: string, leaseOwner: string, dueAt: number, now: number): Promise<boolean>;
  /** A claimed row the user no longer wants → skipped, with the reason as its lastError (not an attempt); false when the lease was lost. */
  skip(id: string, leaseOwner: string, reason: string, now: number): Promise<boolean>;
  /** Marks a row as escalated, so it escalates once. */
  markEscalated(id: string): Promise<void>;
  get(id: string): Promise<NotificationRecord | null>;
  list(query: NotificationQuery): Promise<{ items: Array<NotificationRecord & { history: NotificationAttempt[] }>; nextCursor: string | null }>;
  countByStatus(): Promise<Record<DeliveryStatus, number>>;
  /**
   * Retention: deletes up to `limit` rows that finished before `before`: notifications no longer
   * waiting to be sent (sent, dead, skipped) with their attempts, then closed digests with their
   * items. Never one still queued, deferred, sending or waiting for a retry. Returns how many went.
   */
  purgeExpired(before: number, limit: number): Promise<number>;

  unreadCount(userId: string): Promise<number>;
  /** In-app read state; returns the ids changed. `ids` undefined means all of the user's. */
  markRead(userId: string, ids: string[] | undefined, now: number): Promise<number>;
  markSeen(userId: string, ids: string[] | undefined, now: number): Promise<number>;
}
