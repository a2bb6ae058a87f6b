import type { CommitResult, JobChange } from '../store.js';
import { columnOf, patchFields } from '../job-columns.js';
import { appendEvents } from './events.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';
import { replaceTags } from './tags.js';

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
