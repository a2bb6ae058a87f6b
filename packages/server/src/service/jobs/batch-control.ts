import { FINAL_STATUSES, HeadwayError } from '@headway/protocol';
import type { Store } from '../../store/store.js';

const PAGE = 500;

/**
 * Pausing, resuming or cancelling a parent applies to its unfinished children. A child that
 * cannot take the action (already paused, say) is left as it is.
 */
export async function applyToChildren(store: Store, parentId: string, apply: (childId: string) => Promise<unknown>): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.jobs.list({ parentId, limit: PAGE, cursor, sort: 'createdAt' });
    for (const child of page.items) {
      if (FINAL_STATUSES.includes(child.status)) continue;
      try {
        await apply(child.id);
      } catch (error) {
        if (!(error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION')) throw error;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
