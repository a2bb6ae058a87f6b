import { HeadwayError } from '@headway/protocol';
import type { JobRecord } from '../model/job-record.js';
import type { JobQuery } from './store.js';

export type JobSort = NonNullable<JobQuery['sort']>;

export interface SortSpec {
  sort: JobSort;
  /** The record field and column the listing is keyed on: updatedAt listings use activeAt (see JobRecord). */
  field: 'createdAt' | 'activeAt';
  column: 'created_at' | 'active_at';
  descending: boolean;
}

/** Newest first unless asked otherwise. */
export const DEFAULT_SORT: JobSort = '-createdAt';

export function sortSpecOf(sort: JobSort = DEFAULT_SORT): SortSpec {
  const descending = sort.startsWith('-');
  const byCreation = (descending ? sort.slice(1) : sort) === 'createdAt';
  return { sort, field: byCreation ? 'createdAt' : 'activeAt', column: byCreation ? 'created_at' : 'active_at', descending };
}

/** Where the next page starts: the last item's sort value and id (id breaks ties, so pages are stable under inserts). */
export interface ListPosition {
  value: number;
  id: string;
}

export function encodeListCursor(spec: SortSpec, last: JobRecord): string {
  return Buffer.from(JSON.stringify([spec.sort, last[spec.field], last.id])).toString('base64url');
}

/**
 * Reads a cursor this store issued for the same sort order; anything else is the caller's mistake.
 * A forged id holding NUL is refused too: PostgreSQL cannot take it as a parameter (a 500, not a 400).
 */
export function decodeListCursor(cursor: string, spec: SortSpec): ListPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (Array.isArray(decoded) && decoded.length === 3 && decoded[0] === spec.sort && Number.isFinite(decoded[1]) && typeof decoded[2] === 'string' && !decoded[2].includes('\0')) {
    return { value: decoded[1] as number, id: decoded[2] };
  }
  throw new HeadwayError('VALIDATION_FAILED', `cursor "${cursor.slice(0, 40)}" is not a cursor from a ${spec.sort} listing; pass the nextCursor of the previous page with the same sort, or no cursor`);
}

export function assertListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new HeadwayError('VALIDATION_FAILED', `limit must be a positive integer, got ${limit}`);
}
