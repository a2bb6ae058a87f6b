import { useEffect, useMemo, useRef, useState } from 'react';
import type { HeadwayClient, Job } from '@headway/client';
import { useJobs } from '@headway/react';

export interface Children {
  items: Job[];
  /** Still paging through the first load. */
  loading: boolean;
  error: Error | null;
}

const PAGE = 500;
/** The table is built for batches of about this size; larger ones show their first items. */
export const MAX_CHILDREN = 20_000;
/** Between refreshes of recently changed children while the parent moves. */
const REFRESH_MS = 1_000;

/**
 * A batch's children: all of them once from REST (pages of 500), then kept fresh two ways —
 * whatever the live channel carries, and a re-read of the most recently updated children
 * whenever the parent's roll-up moves (at most once a second), whatever the channel carries.
 */
export function useChildren(client: HeadwayClient, parent: Job | undefined, user: string | undefined): Children {
  const parentId = parent?.id ?? null;
  const [state, setState] = useState<{ byId: Map<string, Job>; loading: boolean; error: Error | null }>({ byId: new Map(), loading: true, error: null });
  const live = useJobs(client, { ...(user === undefined ? {} : { user }), parentId: parentId ?? '\u0000none', sort: 'createdAt' });
  const lastRefresh = useRef(0);

  useEffect(() => {
    if (!parentId) return;
    const abort = new AbortController();
    void (async () => {
      const byId = new Map<string, Job>();
      let cursor: string | undefined;
      try {
        do {
          const page = await client.listJobs({ parentId, sort: 'createdAt', limit: PAGE, ...(cursor ? { cursor } : {}) }, abort.signal);
          for (const job of page.items) byId.set(job.id, job);
          cursor = page.nextCursor ?? undefined;
          setState({ byId: new Map(byId), loading: cursor !== undefined, error: null });
        } while (cursor && byId.size < MAX_CHILDREN);
        setState({ byId, loading: false, error: null });
      } catch (error) {
        if (!abort.signal.aborted) setState((old) => ({ ...old, loading: false, error: error as Error }));
      }
    })();
    return () => abort.abort();
  }, [client, parentId]);

  const rollup = parent ? `${parent.seq}:${JSON.stringify(parent.counts)}:${parent.percent}` : '';
  useEffect(() => {
    if (!parentId || state.loading || !parent?.counts) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_MS - Date.now());
    const abort = new AbortController();
    const timer = setTimeout(() => {
      lastRefresh.current = Date.now();
      client
        .listJobs({ parentId, sort: '-updatedAt', limit: 200 }, abort.signal)
        .then((page) => setState((old) => ({ ...old, byId: merge(old.byId, page.items) })))
        // The next roll-up change tries again; the live channel keeps what it carries fresh.
        .catch((error: Error) => abort.signal.aborted || console.warn('headway: refreshing batch items failed', error));
    }, wait);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [rollup, state.loading]);

  const items = useMemo(() => [...merge(state.byId, live).values()], [state.byId, live]);
  return { items, loading: state.loading, error: state.error };
}

/** Newer state wins (by seq, then update time); insertion order (creation) is kept. */
function merge(known: Map<string, Job>, fresh: readonly Job[]): Map<string, Job> {
  let next: Map<string, Job> | null = null;
  for (const job of fresh) {
    const old = known.get(job.id);
    if (old && (old.seq > job.seq || (old.seq === job.seq && old.updatedAt >= job.updatedAt))) continue;
    next ??= new Map(known);
    next.set(job.id, job);
  }
  return next ?? known;
}
