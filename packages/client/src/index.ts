export { createClient, HeadwayClient, type ClientOptions, type WatchOptions } from './create-client.js';
export { HeadwayNetworkError, JobCancelledError, isTransientError } from './errors.js';
export type { BatchProgressAnswer, CreateJobOptions, JobPage, MintedToken, WaitForChangeOptions } from './http/jobs-api.js';
export type { FetchLike } from './http/rest.js';
export { backoffDelayMs, type BackoffOptions } from './live/backoff.js';
export { ChannelState, type ChannelMessage, type WatchUpdate } from './live/channel-state.js';
export type { ConnectionObservable, ConnectionState, TransportKind } from './live/connection-state.js';
export { channelOf, type WatchTarget } from './live/watch-target.js';
export type { WebSocketConstructor, WebSocketLike } from './live/ws-transport.js';
export type { LivenessOptions } from './live/liveness.js';
export { isInAppNotification, type NotificationWatchOptions } from './notifications/notification-watcher.js';
export { NotificationsApi, type DeliveryStatus, type MarkAnswer, type NotificationAttempt, type NotificationPage, type NotificationQuery } from './notifications/notifications-api.js';
export {
  JOB_NOTIFICATION_TYPES,
  type ChannelSwitches,
  type DigestFrequency,
  type NotificationChannelName,
  type NotificationPreferences,
  preferencesPatch,
  type PreferencesChange,
  type PreferencesDocument,
  type TypePreference,
} from './notifications/preferences.js';
export { Reporter, type ReporterOptions } from './reporter/reporter.js';
export { formatDurationMs, formatEta, formatRate } from './format.js';
export { HeadwayError, type Channel, type ControlIntent, type InAppNotification, type ErrorCode, type Job, type JobEvent, type JobStatus, type JobStep } from '@headway/protocol';
