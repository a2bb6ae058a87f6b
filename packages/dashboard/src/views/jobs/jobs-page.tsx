import { useMemo, type ReactNode } from 'react';
import { useJobs } from '@headway/react';
import { useNow } from '../../live/use-now';
import { hrefOf, navigate, useRoute } from '../../router/route';
import { useSession } from '../../session/session';
import { FilterBar } from './filter-bar';
import { createdRange, createdWithin, filtersFromParams, liveFilterOf, paramsOfFilters, type JobFilters } from './filters';
import { JobsTable } from './jobs-table';
import { Pager } from './pager';

const PAGE_SIZE = 250;

/** Every job the live channel shows, filtered in the browser and re-rendered at most once a frame. */
export function JobsPage(): ReactNode {
  const { params, segments } = useRoute();
  const session = useSession();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const user = typeof session.jobsTarget === 'string' ? undefined : session.jobsTarget.user;
  const everything = useJobs({ ...(user === undefined ? {} : { user }), parentId: null });
  const matching = useJobs(liveFilterOf(filters, user));
  const range = useMemo(() => createdRange(filters), [filters.from, filters.to]);
  const shown = useMemo(() => createdWithin(matching, range), [matching, range]);
  const types = useMemo(() => [...new Set(everything.map((job) => job.type))], [everything]);
  const now = useNow(1_000);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const pageJobs = useMemo(() => shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), [shown, page]);
  const running = useMemo(() => everything.filter((job) => job.status === 'running').length, [everything]);

  const setFilters = (next: JobFilters, options: { replace: boolean }) => navigate(hrefOf(segments, paramsOfFilters(next)), options);

  return (
    <section className="page jobs-page" aria-labelledby="jobs-heading">
      <div className="page-head">
        <h1 id="jobs-heading">Live jobs</h1>
        <p className="muted" aria-live="off">
          {running.toLocaleString()} running · {everything.length.toLocaleString()} in view
        </p>
      </div>
      <FilterBar filters={filters} onChange={setFilters} types={types} showOwner={user === undefined} />
      <Pager page={page} pageSize={PAGE_SIZE} total={shown.length} onPage={(next) => setFilters({ ...filters, page: next }, { replace: false })} />
      <JobsTable
        jobs={pageJobs}
        now={now}
        label="Jobs"
        emptyText={
          everything.length === 0 ? (
            <>
              No jobs yet. Start one with the client SDK, or run <code>headway serve --demo</code>.
            </>
          ) : (
            'No job matches these filters.'
          )
        }
      />
    </section>
  );
}
