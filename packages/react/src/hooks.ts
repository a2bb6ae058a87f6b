import { useMemo, useSyncExternalStore } from 'react';
import type { ConnectionState, HeadwayClient, Job, WatchTarget } from '@headway/client';
import { useHeadwayClient } from './context.js';
import { selectJobs, type JobsFilter } from './jobs-filter.js';
import { watchStoreFor, type WatchSnapshot } from './watch-store.js';

/** Live state of any watch target (`id`, `'jobs'`, `{user}`), re-rendered at most once per frame. */
export function useWatch(client: HeadwayClient, target: WatchTarget | null): WatchSnapshot {
  const key = target === null ? null : JSON.stringify(target);
  // Keyed by the target's value, not its identity: `{user: "a"}` literals change every render.
  const store = useMemo(() => (target === null ? null : watchStoreFor(client, target)), [client, key]);
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, store?.getSnapshot ?? emptySnapshot, store?.getSnapshot ?? emptySnapshot);
}

/** One job, live: `useJob(id)` under a HeadwayProvider, or `useJob(client, id)`. Undefined until loaded. */
export function useJob(id: string | null): Job | undefined;
export function useJob(client: HeadwayClient, id: string | null): Job | undefined;
export function useJob(first: HeadwayClient | string | null, second?: string | null): Job | undefined {
  const [explicit, id] = typeof first === 'object' && first !== null ? [first, second ?? null] : [undefined, first];
  const client = useHeadwayClient(explicit);
  return useWatch(client, id).update?.job;
}

/** Jobs of the live channel that match `filter`, sorted (newest first by default). */
export function useJobs(filter?: JobsFilter): Job[];
export function useJobs(client: HeadwayClient, filter?: JobsFilter): Job[];
export function useJobs(first?: HeadwayClient | JobsFilter, second?: JobsFilter): Job[] {
  const [explicit, filter] = isClient(first) ? [first, second ?? {}] : [undefined, first ?? {}];
  const client = useHeadwayClient(explicit);
  const snapshot = useWatch(client, filter.user === undefined ? 'jobs' : { user: filter.user });
  const filterKey = JSON.stringify(filter);
  // Keyed by the filter's value, not its identity.
  return useMemo(() => selectJobs(snapshot.update?.jobs ?? [], filter), [snapshot, filterKey]);
}

/** The client's live connection state, e.g. to show "reconnecting…". */
export function useConnectionState(client?: HeadwayClient): ConnectionState {
  const { connection } = useHeadwayClient(client);
  const [subscribe, get] = useMemo(() => [connection.subscribe.bind(connection), connection.get.bind(connection)] as const, [connection]);
  return useSyncExternalStore(subscribe, get, get);
}

const EMPTY_SNAPSHOT: WatchSnapshot = { update: null, error: null };
const emptySnapshot = () => EMPTY_SNAPSHOT;
const noSubscribe = () => () => {};

function isClient(value: unknown): value is HeadwayClient {
  return typeof value === 'object' && value !== null && typeof (value as HeadwayClient).watch === 'function';
}
