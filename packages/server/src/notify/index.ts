/** Notifications: triggers from job events, preferences, templates, channels and the durable outbox. */
export { createNotifier, type AlertInput, type Notifier, type NotifierDeps } from './notifier.js';
export type { ChannelName, DeliveryStatus, NotificationView } from './types.js';
