import type { InAppNotification } from '@headway/protocol';
import type { WatchUpdate } from '../live/channel-state.js';
import type { Watcher } from '../live/live-hub.js';

export interface NotificationWatchOptions {
  /**
   * The live channel is (re)established: once at first, then after every reconnect or resync.
   * Pushes are not replayed, so this is when to re-read the feed and the unread count over REST.
   */
  onSync?: () => void;
  /** The server refused the channel (another user's id) or the token; the watch has ended. */
  onError?: (error: Error) => void;
}

/**
 * A watcher of a `user:<id>` channel that cares about its notifications, not its jobs: passes
 * pushes on, and turns the channel's snapshots into `onSync` calls.
 */
export function notificationWatcher(onNotification: (notification: InAppNotification) => void, options: NotificationWatchOptions): Watcher {
  let synced = false;
  return {
    onUpdate(update: WatchUpdate) {
      // A watcher that joins a shared channel first hears its current state, whatever its cause.
      if (synced && update.cause !== 'snapshot' && update.cause !== 'resync') return;
      synced = true;
      options.onSync?.();
    },
    onError: options.onError,
    onNotification(notification: unknown) {
      if (isInAppNotification(notification)) onNotification(notification);
    },
  };
}

/** The stream's payload is typed `unknown` on the wire; check the fields a feed relies on. */
export function isInAppNotification(value: unknown): value is InAppNotification {
  const candidate = value as Partial<InAppNotification> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.id === 'string' && typeof candidate.type === 'string' && typeof candidate.createdAt === 'number';
}
