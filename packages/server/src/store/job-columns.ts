import { HeadwayError } from '@headway/protocol';
import type { JobRecord } from '../model/job-record.js';
import type { JobChange } from './store.js';

/** How a record field is stored: as is, or as JSON text (SQLite) / JSONB (PostgreSQL). */
export type ColumnCodec = 'plain' | 'json';

/**
 * The one mapping between JobRecord fields and `jobs` columns, shared by every dialect. Dynamic
 * statements (patches, inserts) take column names only from here, never from input.
 */
export const JOB_COLUMNS = {
  id: ['id', 'plain'],
  type: ['type', 'plain'],
  title: ['title', 'plain'],
  owner: ['owner', 'plain'],
  parentId: ['parent_id', 'plain'],
  tags: ['tags', 'json'],
  metadata: ['metadata', 'json'],
  status: ['status', 'plain'],
  control: ['control', 'plain'],
  percent: ['percent', 'plain'],
  done: ['done', 'plain'],
  total: ['total', 'plain'],
  unit: ['unit', 'plain'],
  steps: ['steps', 'json'],
  currentStep: ['current_step', 'plain'],
  message: ['message', 'plain'],
  eta: ['eta', 'json'],
  metrics: ['metrics', 'json'],
  counts: ['counts', 'json'],
  weight: ['weight', 'plain'],
  checkpoint: ['checkpoint', 'json'],
  result: ['result', 'json'],
  error: ['error', 'json'],
  attempt: ['attempt', 'plain'],
  maxAttempts: ['max_attempts', 'plain'],
  runAfter: ['run_after', 'plain'],
  createdAt: ['created_at', 'plain'],
  startedAt: ['started_at', 'plain'],
  finishedAt: ['finished_at', 'plain'],
  updatedAt: ['updated_at', 'plain'],
  pausedMs: ['paused_ms', 'plain'],
  pausedAt: ['paused_at', 'plain'],
  seq: ['seq', 'plain'],
  leaseOwner: ['lease_owner', 'plain'],
  leaseExpiresAt: ['lease_expires_at', 'plain'],
  milestones: ['milestones', 'json'],
  activeAt: ['active_at', 'plain'],
} as const satisfies { [F in keyof JobRecord]-?: readonly [string, ColumnCodec] };

export type JobField = keyof typeof JOB_COLUMNS;

export const JOB_FIELDS = Object.keys(JOB_COLUMNS) as JobField[];

export function isJobField(name: string): name is JobField {
  return Object.hasOwn(JOB_COLUMNS, name);
}

export function columnOf(field: JobField): string {
  return JOB_COLUMNS[field][0];
}

export function isJsonField(field: JobField): boolean {
  return JOB_COLUMNS[field][1] === 'json';
}

/** Fields a change may never set: identity, the tree, and seq (the store assigns it). */
const FIXED_FIELDS = new Set<string>(['id', 'seq', 'type', 'createdAt', 'parentId']);

/** The patch's fields in a stable order (one statement text per shape); unknown keys are a bug, not data. */
export function patchFields(change: JobChange): JobField[] {
  const fields: JobField[] = [];
  for (const [key, value] of Object.entries(change.patch)) {
    if (value === undefined) continue;
    if (!isJobField(key) || FIXED_FIELDS.has(key)) {
      throw new HeadwayError('INTERNAL', `a change to job ${change.id} tried to set "${key}", which is not a changeable job field`);
    }
    fields.push(key);
  }
  return fields.sort();
}
