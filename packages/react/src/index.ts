export { HeadwayProvider, useHeadwayClient } from './context.js';
export { useConnectionState, useJob, useJobs, useWatch } from './hooks.js';
export { selectJobs, type JobsFilter } from './jobs-filter.js';
export { WatchStore, watchStoreFor, type WatchSnapshot } from './watch-store.js';
export { FrameBatcher, nextFrame, type FrameScheduler } from './frame-batcher.js';
export { useJobMute, useNotifications, useUnreadCount, type JobMute, type NotificationFeed } from './notification-hooks.js';
export { MutedJobsStore, mutedJobsStoreFor, type MutedJobsSnapshot } from './muted-jobs-store.js';
export { NotificationFeedStore, notificationStoreFor, type NotificationFeedSnapshot } from './notification-store.js';
