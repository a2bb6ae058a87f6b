import { HeadwayError } from '@headway/protocol';
import type { JobField } from './job-columns.js';

/** The only fields saveProgress may write: never status, control, lease or seq. */
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
] as const satisfies readonly JobField[];

const ALLOWED = new Set<string>(PROGRESS_PATCH_FIELDS);

/** The fields a progress patch sets, in a stable order; anything else is a bug in the caller. */
export function progressFieldsOf(patch: Record<string, unknown>): JobField[] {
  const fields: JobField[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || value === undefined) continue;
    if (!ALLOWED.has(key)) {
      throw new HeadwayError('INTERNAL', `progress patch for job ${String(patch.id)} sets "${key}"; only ${PROGRESS_PATCH_FIELDS.join(', ')} may be saved as progress`);
    }
    fields.push(key as JobField);
  }
  return fields.sort();
}
