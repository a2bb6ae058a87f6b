import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Job } from '@headway/client';
import { hrefOf, navigate, useRoute } from '../../router/route';
import { useSession } from '../../session/session';
import { FilterBar } from '../jobs/filter-bar';
import { createdRange, filtersFromParams, paramsOfFilters, statusesOf, type JobFilters } from '../jobs/filters';
import { JobsTable } from '../jobs/jobs-table';

const PAGE_SIZE = 100;
const FINISHED_CHOICES = ['finished', 'completed', 'failed', 'cancelled'];

/** Finished jobs from the server, a page at a time (keyset cursors), with the live list's filters. */
export function HistoryPage(): ReactNode {
  const { params, segments } = useRoute();
  const { client, identity } = useSession();
  const filters = useMemo(() => {
    const parsed = filtersFromParams(params);
    return FINISHED_CHOICES.includes(parsed.status) ? parsed : { ...parsed, status: 'finished' };
  }, [params]);
  const key = paramsOfFilters({ ...filters, page: 1 }).toString();
  // Cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<{ items: Job[]; nextCursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => setCursors([undefined]), [key]);

  useEffect(() => {
    const abort = new AbortController();
    const range = createdRange(filters);
    setError(null);
    client
      .listJobs(
        {
          status: statusesOf(filters)?.join(','),
          type: filters.type || undefined,
          owner: filters.owner || undefined,
          tag: filters.tag || undefined,
          q: filters.q.trim() || undefined,
          from: range.from,
          to: range.to,
          sort: filters.sort,
          limit: PAGE_SIZE,
          cursor,
        },
        abort.signal,
      )
      .then(setPage)
      .catch((failure: Error) => abort.signal.aborted || setError(failure.message));
    return () => abort.abort();
  }, [client, key, cursor]);

  const types = useMemo(() => [...new Set(page?.items.map((job) => job.type) ?? [])], [page]);
  const setFilters = (next: JobFilters, options: { replace: boolean }) => navigate(hrefOf(segments, paramsOfFilters(next)), options);

  return (
    <section className="page" aria-labelledby="history-heading">
      <div className="page-head">
        <h1 id="history-heading">History</h1>
      </div>
      <FilterBar filters={filters} onChange={setFilters} types={types} statusChoices={FINISHED_CHOICES} showOwner={identity.kind === 'key'} />
      <nav className="pager" aria-label="Pages">
        <span data-testid="match-count">
          Page {cursors.length} · {page?.items.length ?? 0} jobs
        </span>
        <button type="button" className="ghost" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </button>
        <button type="button" className="ghost" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          Next
        </button>
      </nav>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <JobsTable jobs={page?.items ?? []} now={Date.now()} label="Finished jobs" emptyText={page ? 'No finished job matches these filters.' : 'Loading…'} />
    </section>
  );
}
