import type { JobRecord } from '../../model/job-record.js';
import { PROGRESS_PATCH_FIELDS as PROGRESS_FIELDS } from '../../store/progress-fields.js';
import type { ProgressPatch } from '../../store/store.js';
import type { FlushedProgress, LiveJob } from './live-jobs.js';

/**
 * The progress fields of a cached job that changed since its last flush (all of them when it has
 * none, or when its record object was replaced since: a durable change rewrote the row), with what
 * to remember once they are written; null when nothing changed. Most ticks move only done,
 * percent and updatedAt, so the JSON columns are serialised only when they were replaced.
 */
export function changedProgressOf(entry: LiveJob): { patch: ProgressPatch; flushed: FlushedProgress } | null {
  const record = entry.record;
  const previous = entry.flushed !== null && entry.flushed.from === record ? entry.flushed.values : null;
  const values: unknown[] = new Array(PROGRESS_FIELDS.length);
  const patch: Record<string, unknown> = { id: record.id, seq: record.seq };
  let changed = false;
  for (let i = 0; i < PROGRESS_FIELDS.length; i++) {
    const field = PROGRESS_FIELDS[i]!;
    const value = record[field];
    values[i] = value;
    if (previous === null || previous[i] !== value) {
      patch[field] = value;
      changed = true;
    }
  }
  return changed ? { patch: patch as ProgressPatch, flushed: { from: record, values } } : null;
}

/** Durable fields from the store, newer progress from the cache (unless the store's seq moved on with a reset). */
export function mergeDurable(cached: JobRecord, stored: JobRecord): JobRecord {
  const merged: JobRecord = { ...stored };
  if (stored.status === cached.status && stored.percent <= cached.percent) {
    for (const field of PROGRESS_FIELDS) (merged as unknown as Record<string, unknown>)[field] = cached[field];
  }
  return merged;
}
