import type { JobRecord } from '../model/job-record.js';
import type { JobField } from './job-columns.js';
import type { ProgressPatch } from './store.js';

/** The only fields saveProgress writes: never status, control, lease or seq. Other keys are ignored. */
export const PROGRESS_PATCH_FIELDS = [
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
  'activeAt',
] as const satisfies readonly JobField[];

/**
 * Which progress fields a patch sets, as a bit mask: a cheap key for caching one statement per
 * patch shape (the flusher always sends the same shape, so this runs at tick rate).
 */
export function progressShapeOf(patch: Readonly<Record<string, unknown>>): number {
  let mask = 0;
  for (let i = 0; i < PROGRESS_PATCH_FIELDS.length; i++) if (patch[PROGRESS_PATCH_FIELDS[i]!] !== undefined) mask |= 1 << i;
  return mask;
}

export function progressFieldsOfShape(mask: number): JobField[] {
  return PROGRESS_PATCH_FIELDS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** A progress field's bit in a shape mask (see progressShapeOf). */
export function progressFieldBit(field: (typeof PROGRESS_PATCH_FIELDS)[number]): number {
  return 1 << PROGRESS_PATCH_FIELDS.indexOf(field);
}

/** The patch holding `fields` (a shape mask) of a job as it is now, taken at its seq; null when no field is asked for. */
export function progressPatchOf(record: JobRecord, fields: number): ProgressPatch | null {
  if (fields === 0) return null;
  const patch: Record<string, unknown> = { id: record.id, seq: record.seq };
  for (let i = 0; i < PROGRESS_PATCH_FIELDS.length; i++) {
    if ((fields & (1 << i)) !== 0) patch[PROGRESS_PATCH_FIELDS[i]!] = record[PROGRESS_PATCH_FIELDS[i]!];
  }
  return patch as ProgressPatch;
}

/**
 * Whether a progress field follows the newest report (a patch's updatedAt): several nodes flush
 * one job's progress on their own intervals, and a flush of an older report than the row holds
 * (`reported_at`) leaves these as they are. A handler's checkpoint is not a report: always written.
 */
export function ordersByReport(field: JobField): boolean {
  return field !== 'checkpoint';
}
