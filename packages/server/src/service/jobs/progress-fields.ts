import type { JobRecord } from '../../model/job-record.js';
import type { ProgressPatch } from '../../store/store.js';

/** Fields that progress ticks change and the flusher writes; everything else is durable state. */
export const PROGRESS_FIELDS = [
  'percent',
  'done',
  'total',
  'unit',
  'currentStep',
  'message',
  'eta',
  'metrics',
  'counts',
  'steps',
  'checkpoint',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof JobRecord>;

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
