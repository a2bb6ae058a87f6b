import { HeadwayError } from '@headway/protocol';
import type { CommitResult, JobChange } from '../store.js';
import { columnOf, isJobField, type JobField } from '../job-columns.js';
import { appendEvents } from './events.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';
import { replaceTags } from './tags.js';

/** Fields a change may never set: identity, the tree, and seq (the store assigns it). */
const FIXED_FIELDS = new Set<string>(['id', 'seq', 'type', 'createdAt', 'parentId']);

/**
 * Applies one change if the job's seq still equals `expectedSeq` (optimistic: a writer that lost
 * the race changes nothing and learns the current seq), appending its events as seq+1, seq+2, ...
 */
export function commitChange(db: SqliteDb, change: JobChange, now: number): CommitResult {
  const fields = patchFields(change);
  const sets = [...fields.map((field) => `${columnOf(field)} = ?`), 'seq = seq + ?'].join(', ');
  const values = fields.map((field) => encodeJobValue(field, (change.patch as Record<string, unknown>)[field]));
  return db.write((): CommitResult => {
    const updated = db.run(`UPDATE jobs SET ${sets} WHERE id = ? AND seq = ?`, ...values, change.events.length, change.id, change.expectedSeq);
    if (updated.changes === 0) {
      return { ok: false, currentSeq: db.get<{ seq: number }>('SELECT seq FROM jobs WHERE id = ?', change.id)?.seq ?? null };
    }
    if (fields.includes('tags')) replaceTags(db, change.id, change.patch.tags);
    return { ok: true, events: appendEvents(db, change.id, change.expectedSeq + 1, now, change.events) };
  });
}

/** The patch's fields in a stable order (one cached statement per shape); unknown keys are a bug, not data. */
function patchFields(change: JobChange): JobField[] {
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
