import type { JobRecord } from '../../model/job-record.js';
import { PROGRESS_PATCH_FIELDS as PROGRESS_FIELDS } from '../../store/progress-fields.js';
import type { ProgressPatch } from '../../store/store.js';

export function progressPatchOf(record: JobRecord): ProgressPatch {
  const patch: Record<string, unknown> = { id: record.id };
  for (const field of PROGRESS_FIELDS) patch[field] = record[field];
  return patch as ProgressPatch;
}

/** Durable fields from the store, newer progress from the cache (unless the store's seq moved on with a reset). */
export function mergeDurable(cached: JobRecord, stored: JobRecord): JobRecord {
  const merged: JobRecord = { ...stored };
  if (stored.status === cached.status && stored.percent <= cached.percent) {
    for (const field of PROGRESS_FIELDS) (merged as unknown as Record<string, unknown>)[field] = cached[field];
  }
  return merged;
}
