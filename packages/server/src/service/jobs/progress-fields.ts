import type { JobRecord } from '../../model/job-record.js';
import { PROGRESS_PATCH_FIELDS as PROGRESS_FIELDS } from '../../store/progress-fields.js';
import type { ProgressPatch } from '../../store/store.js';
import type { LiveJob } from './live-jobs.js';

/**
 * The progress fields of a cached job that changed since its last flush (all of them when it has
 * none, or when its record object was replaced since: a durable change rewrote the row); null
 * when nothing changed. Most ticks move only done, percent and updatedAt, so the JSON columns are
 * serialised only when they were replaced.
 */
export function changedProgressOf(entry: LiveJob): ProgressPatch | null {
  const record = entry.record;
  const previous = entry.flushedFrom === record ? entry.flushedValues : null;
  const patch: Record<string, unknown> = { id: record.id, seq: record.seq };
  let changed = false;
  for (let i = 0; i < PROGRESS_FIELDS.length; i++) {
    const field = PROGRESS_FIELDS[i]!;
    const value = record[field];
    if (previous === null || previous[i] !== value) {
      patch[field] = value;
      changed = true;
    }
  }
  return changed ? (patch as ProgressPatch) : null;
}

/** After `patch`, read from the record object `from`, was written: the next flush compares against it. */
export function rememberFlushed(entry: LiveJob, from: JobRecord, patch: ProgressPatch): void {
  // A patch read from another record object than the remembered one holds every field.
  const values = (entry.flushedValues ??= new Array<unknown>(PROGRESS_FIELDS.length));
  const written = patch as unknown as Record<string, unknown>;
  for (let i = 0; i < PROGRESS_FIELDS.length; i++) {
    const field = PROGRESS_FIELDS[i]!;
    if (field in written) values[i] = written[field];
  }
  entry.flushedFrom = from;
}

/** Durable fields from the store, newer progress from the cache (unless the store's seq moved on with a reset). */
export function mergeDurable(cached: JobRecord, stored: JobRecord): JobRecord {
  const merged: JobRecord = { ...stored };
  if (stored.status === cached.status && stored.percent <= cached.percent) {
    for (const field of PROGRESS_FIELDS) (merged as unknown as Record<string, unknown>)[field] = cached[field];
  }
  return merged;
}
