import type { JobRecord } from '../../model/job-record.js';
import type { ProgressChange } from '../../model/progress.js';
import { PROGRESS_PATCH_FIELDS as PROGRESS_FIELDS, progressFieldBit as bit, progressPatchOf } from '../../store/progress-fields.js';
import type { ProgressPatch } from '../../store/store.js';
import type { LiveJob } from './live-jobs.js';

const AMOUNTS = bit('done') | bit('total') | bit('percent') | bit('updatedAt');
export const CHECKPOINT_FIELD = bit('checkpoint');

/**
 * The fields a report's change sets (see applyProgress): the amounts and time always, the others
 * only when they moved. Spelled out rather than found by a loop over the fields: this runs per report.
 */
export function changedFieldsOf(change: ProgressChange): number {
  let mask = AMOUNTS;
  if (change.activeAt !== undefined) mask |= bit('activeAt');
  if (change.steps !== undefined) mask |= bit('steps');
  if (change.currentStep !== undefined) mask |= bit('currentStep');
  if (change.message !== undefined) mask |= bit('message');
  if (change.unit !== undefined) mask |= bit('unit');
  if (change.metrics !== undefined) mask |= bit('metrics');
  return mask;
}

/**
 * Takes what the next write of a cached job must hold: the fields marked changed since the last
 * take, read from the record now; null when nothing changed. Only marks are kept between
 * flushes, not the values written: keeping those held every job's previous ETA and metrics
 * objects alive, and each scavenge copied them. Most ticks move only the amounts and time, so
 * the JSON columns are serialised only when they were replaced.
 */
export function takeChangedProgress(entry: LiveJob): ProgressPatch | null {
  const changed = entry.unflushed;
  entry.unflushed = 0;
  return progressPatchOf(entry.record, changed);
}

/**
 * Durable fields from the store, newer progress from the cache (unless the store's seq moved on
 * with a reset); after another node's transition, only the progress answered here and not yet
 * written (`unwritten`, bits of the store's patch shape) is kept.
 */
export function mergeDurable(cached: JobRecord, stored: JobRecord, unwritten = 0): JobRecord {
  if (stored.status !== cached.status) return withAnsweredProgress(stored, cached, unwritten);
  if (stored.percent > cached.percent) return { ...stored };
  const merged: JobRecord = { ...stored };
  for (const field of PROGRESS_FIELDS) (merged as unknown as Record<string, unknown>)[field] = cached[field];
  return merged;
}

/** What a worker's report sets and no transition does; the percent is kept as the larger. */
const REPORTED_FIELDS = ['done', 'total', 'message', 'unit', 'metrics'] as const;
export const REPORTED_BITS = REPORTED_FIELDS.reduce((mask, field) => mask | bit(field), bit('percent'));

/**
 * `stored` with the progress this node answered and has not written yet (the `fields` bits of
 * `answered`). Another node's change does not replace it: a worker's last report answered here
 * and its completion sent right after through another node must both land (behind a load
 * balancer the completed job kept 1,986 of its 2,000 rows). Not across a retry, which starts
 * progress over.
 */
export function withAnsweredProgress(stored: JobRecord, answered: JobRecord, fields: number): JobRecord {
  if ((fields & REPORTED_BITS) === 0 || stored.attempt !== answered.attempt) return stored;
  const merged: JobRecord = { ...stored };
  for (const field of REPORTED_FIELDS) if ((fields & bit(field)) !== 0) (merged as unknown as Record<string, unknown>)[field] = answered[field];
  if ((fields & bit('percent')) !== 0) merged.percent = Math.max(stored.percent, answered.percent);
  return merged;
}
