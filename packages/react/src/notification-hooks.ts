import { useMemo, useSyncExternalStore } from 'react';
import type { HeadwayClient } from '@headway/client';
import { useHeadwayClient } from './context.js';
import { notificationStoreFor, type NotificationFeedSnapshot } from './notification-store.js';

/** The live in-app feed plus what a panel does with it. */
export interface NotificationFeed extends NotificationFeedSnapshot {
  markRead(id: string): Promise<void>;
  markAllRead(): Promise<void>;
  loadMore(): Promise<void>;
  reload(): Promise<void>;
}

const NO_FEED: NotificationFeedSnapshot = { items: [], unread: null, hasMore: false, loading: false, error: null };
const noSubscribe = () => () => {};
const noFeed = () => NO_FEED;
const nothing = () => Promise.resolve();

function useFeedStore(userId: string | null, explicit?: HeadwayClient) {
  const client = useHeadwayClient(explicit);
  return useMemo(() => (userId === null ? null : notificationStoreFor(client, userId)), [client, userId]);
}

/**
 * One user's in-app notifications, live (newest first), re-rendered at most once per frame.
 * `userId` null (e.g. signed in with a key, not as a user) gives an empty, idle feed.
 */
export function useNotifications(userId: string | null, client?: HeadwayClient): NotificationFeed {
  const store = useFeedStore(userId, client);
  const snapshot = useSyncExternalStore(store?.subscribe ?? noSubscribe, store?.getSnapshot ?? noFeed, store?.getSnapshot ?? noFeed);
  return useMemo(
    () => ({
      ...snapshot,
      markRead: store ? (id: string) => store.markRead(id) : nothing,
      markAllRead: store ? () => store.markAllRead() : nothing,
      loadMore: store ? () => store.loadMore() : nothing,
      reload: store ? () => store.reload() : nothing,
    }),
    [snapshot, store],
  );
}

/** The user's unread count, live; null until known (and for a null user). Renders only when the number changes. */
export function useUnreadCount(userId: string | null, client?: HeadwayClient): number | null {
  const store = useFeedStore(userId, client);
  const get = useMemo(() => (store ? () => store.getSnapshot().unread : () => null), [store]);
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, get, get);
}
