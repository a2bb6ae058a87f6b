import type { JobRecord } from '../model/job-record.js';
import type { Store } from '../store/store.js';

const PAGE = 500;

/**
 * Every running job, in pages through the status index (`jobs_by_status`): the cost follows the
 * number of running jobs, not of all jobs kept.
 */
export async function* runningJobs(store: Store): AsyncGenerator<JobRecord> {
  let cursor: string | undefined;
  for (;;) {
    const page = await store.jobs.list({ statuses: ['running'], limit: PAGE, sort: 'createdAt', ...(cursor ? { cursor } : {}) });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
