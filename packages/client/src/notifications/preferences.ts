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
 * What `PUT /v1/users/:id/preferences` takes: the fields sent replace the stored ones, the others
 * stay. A webhook keeps its secret unless a new one is sent; sending it again re-enables it.
 */
export interface PreferencesChange {
  timeZone?: string;
  contacts?: { email?: string | null; phone?: string | null; webhook?: { url: string; secret?: string } | null };
  channels?: ChannelSwitches;
  types?: Record<string, TypePreference>;
  quietHours?: { start: string; end: string } | null;
  mutedJobs?: string[];
  escalation?: NotificationChannelName[];
}

/** Notification types the service raises from job events; alerts add `alert.<kind>`. */
export const JOB_NOTIFICATION_TYPES = ['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.milestone', 'batch.completed'] as const;
