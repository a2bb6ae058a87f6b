import { useMemo, useSyncExternalStore } from 'react';
import type { HeadwayClient } from '@headway/client';
import { useHeadwayClient } from './context.js';
import { mutedJobsStoreFor, type MutedJobsSnapshot } from './muted-jobs-store.js';
import { notificationStoreFor, type NotificationFeedSnapshot } from './notification-store.js';

/** The live in-app feed plus what a panel does with it. */
export interface NotificationFeed extends NotificationFeedSnapshot {
  markRead(id: string): Promise<void>;
  markAllRead(): Promise<void>;
  /** Shown to the user, not read (the panel calls it for what it shows). */
  markSeen(ids: readonly string[]): Promise<void>;
  loadMore(): Promise<void>;
  reload(): Promise<void>;
}

const NO_FEED: NotificationFeedSnapshot = { items: [], unread: null, hasMore: false, loading: false, error: null };
const noSubscribe = () => () => {};
const noFeed = () => NO_FEED;
const nothing = () => Promise.resolve();
const NO_MUTES: MutedJobsSnapshot = { muted: null, saving: new Set(), failures: new Map(), loadError: null };
const noMutes = () => NO_MUTES;

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
      markSeen: store ? (ids: readonly string[]) => store.markSeen(ids) : nothing,
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

/** Whether one job is muted in a user's notification preferences, and how to change it. */
export interface JobMute {
  /** null until the preferences have been read (or with no user or job). */
  muted: boolean | null;
  saving: boolean;
  /** The last failure to read the preferences or change this job. */
  error: Error | null;
  setMuted(muted: boolean): Promise<void>;
}

/** Mute state of `jobId` for `userId`, live across every control that shows it. */
export function useJobMute(userId: string | null, jobId: string | null, client?: HeadwayClient): JobMute {
  const resolved = useHeadwayClient(client);
  const store = useMemo(() => (userId === null ? null : mutedJobsStoreFor(resolved, userId)), [resolved, userId]);
  const snapshot = useSyncExternalStore(store?.subscribe ?? noSubscribe, store?.getSnapshot ?? noMutes, store?.getSnapshot ?? noMutes);
  return useMemo(() => {
    if (!store || jobId === null) return { muted: null, saving: false, error: null, setMuted: nothing };
    return {
      muted: snapshot.muted === null ? null : snapshot.muted.has(jobId),
      saving: snapshot.saving.has(jobId),
      error: snapshot.failures.get(jobId) ?? snapshot.loadError,
      setMuted: (muted: boolean) => store.setMuted(jobId, muted),
    };
  }, [snapshot, store, jobId]);
}
