/** Channels a notification can go out on (`log` is for operators). */
export type NotificationChannelName = 'in_app' | 'email' | 'sms' | 'webhook' | 'log';

/** on/off per channel; a channel left out means "no opinion" and the next rule decides. */
export type ChannelSwitches = Partial<Record<NotificationChannelName, boolean>>;

/** `immediate`, or gathered into one digest message per hour or per day. */
export type DigestFrequency = 'immediate' | 'hourly' | 'daily';

export interface TypePreference {
  channels?: ChannelSwitches;
  frequency?: DigestFrequency;
  /** Deliver during quiet hours anyway (the server's default is true for failures and alerts). */
  breakThrough?: boolean;
  digestBy?: 'all' | 'jobType';
}

/** A user's stored preferences, as `GET /v1/users/:id/preferences` answers (defaults when never set). */
export interface NotificationPreferences {
  /** IANA zone, e.g. Europe/Paris: quiet hours and daily digests follow it. */
  timeZone: string;
  contacts: { email: string | null; phone: string | null; webhook: { url: string; secret: string; disabledAt: number | null } | null };
  channels: ChannelSwitches;
  /** Per notification type (job.completed, job.failed, ...). */
  types: Record<string, TypePreference>;
  /** HH:MM, 24-hour, in `timeZone`; null for none. */
  quietHours: { start: string; end: string } | null;
  mutedJobs: string[];
  /** Channels to try, in order, when an urgent notification keeps failing. */
  escalation: NotificationChannelName[];
}

/**
 * What `PUT /v1/users/:id/preferences` takes: the whole document; a field left out takes its
 * default. A webhook sent without a secret keeps the stored one for the same URL, else gets a new
 * one; sending it re-enables it after a 410 Gone.
 */
export interface PreferencesDocument {
  timeZone?: string;
  contacts?: { email?: string | null; phone?: string | null; webhook?: { url: string; secret?: string } | null };
  channels?: ChannelSwitches;
  types?: Record<string, TypePreference>;
  quietHours?: { start: string; end: string } | null;
  mutedJobs?: string[];
  escalation?: NotificationChannelName[];
}

/** A member to set, or null to remove it (it takes its default). */
type Removable<T> = T | null;

/**
 * What `PATCH /v1/users/:id/preferences` takes: a JSON Merge Patch (RFC 7396). Objects merge
 * member by member at every depth, null removes a member, arrays and values replace; the fields
 * left out stay, including mutes made meanwhile. `preferencesPatch` computes one from two documents.
 */
export interface PreferencesChange {
  timeZone?: Removable<string>;
  contacts?: Removable<{ email?: Removable<string>; phone?: Removable<string>; webhook?: Removable<{ url?: string; secret?: Removable<string>; disabledAt?: Removable<number> }> }>;
  channels?: Removable<{ [C in NotificationChannelName]?: Removable<boolean> }>;
  types?: Removable<Record<string, Removable<{ channels?: Removable<{ [C in NotificationChannelName]?: Removable<boolean> }>; frequency?: Removable<DigestFrequency>; breakThrough?: Removable<boolean>; digestBy?: Removable<'all' | 'jobType'> }>>>;
  quietHours?: Removable<{ start?: string; end?: string }>;
  mutedJobs?: Removable<string[]>;
  escalation?: Removable<NotificationChannelName[]>;
}

/**
 * The merge patch that turns `before` into `after` (RFC 7396): members that differ, objects
 * compared member by member, null for members `after` does not have. Members equal in both are
 * left out, so the server keeps what changed there meanwhile (a job muted from another tab).
 */
export function preferencesPatch(before: NotificationPreferences | PreferencesDocument, after: PreferencesDocument): PreferencesChange {
  return mergePatchOf(before, after) as PreferencesChange;
}

function mergePatchOf(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return after;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined || sameJson(before[key], value)) continue;
    patch[key] = value === null || !isObject(before[key]) ? value : mergePatchOf(before[key], value);
  }
  for (const key of Object.keys(before)) if (before[key] !== undefined && (!(key in after) || after[key] === undefined)) patch[key] = null;
  return patch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  return a === b;
}

/** Notification types the service raises from job events; alerts add `alert.<kind>`. */
export const JOB_NOTIFICATION_TYPES = ['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.milestone', 'batch.completed'] as const;
