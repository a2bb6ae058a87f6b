import { FINAL_STATUSES, HeadwayError, type Job, type JobAction, type JobStatus } from '@headway/protocol';
import type { Store } from '../../store/store.js';
import { WRITES_PER_YIELD, yieldToOtherWork } from '../yield-to-other-work.js';

const PAGE = 500;

/**
 * Which children an action on their parent goes on to: pausing, resuming or cancelling a batch
 * applies to its unfinished children; retrying it, to those that failed or were cancelled
 * (otherwise the batch was queued again with nothing left to run, and stayed queued for good).
 */
const CHILDREN_TAKING: Partial<Record<JobAction, (status: JobStatus) => boolean>> = {
  pause: (status) => !FINAL_STATUSES.includes(status),
  resume: (status) => !FINAL_STATUSES.includes(status),
  cancel: (status) => !FINAL_STATUSES.includes(status),
  retry: (status) => status === 'failed' || status === 'cancelled',
};

/**
 * Applies `action`, just taken by a parent, to its children it concerns that `mayAct` allows (a
 * user acts only on the jobs it owns). A child that cannot take it (already paused, say) is left
 * as it is.
 */
export async function applyToChildren(
  store: Store,
  parentId: string,
  action: JobAction,
  mayAct: (child: Job) => boolean,
  apply: (childId: string) => Promise<unknown>,
): Promise<void> {
  const takes = CHILDREN_TAKING[action];
  if (!takes) return;
  let cursor: string | undefined;
  let applied = 0;
  do {
    const page = await store.jobs.list({ parentId, limit: PAGE, cursor, sort: 'createdAt' });
    for (const child of page.items) {
      if (!takes(child.status) || !mayAct(child)) continue;
      if (++applied % WRITES_PER_YIELD === 0) await yieldToOtherWork();
      try {
        await apply(child.id);
      } catch (error) {
        if (!(error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION')) throw error;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
