import type Database from 'better-sqlite3';
import type { ProgressPatch } from '../store.js';
import { columnOf, type JobField } from '../job-columns.js';
import { progressFieldsOfShape, progressShapeOf } from '../progress-fields.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

interface ShapedUpdate {
  fields: JobField[];
  statement: Database.Statement<unknown[], unknown>;
}

const updatesByDb = new WeakMap<SqliteDb, Map<number, ShapedUpdate>>();

/**
 * Writes coalesced progress for many jobs in one transaction, which is what lets tens of
 * thousands of ticks per second cost a few transactions. Never touches status or seq; a job
 * deleted meanwhile is skipped; of two patches to one job the later wins.
 */
export function saveProgress(db: SqliteDb, patches: readonly ProgressPatch[]): void {
  if (patches.length === 0) return;
  db.write(() => {
    for (const patch of patches) {
      const update = updateFor(db, progressShapeOf(patch));
      if (!update) continue;
      const values = update.fields.map((field) => encodeJobValue(field, (patch as Record<string, unknown>)[field]));
      update.statement.run(...values, patch.id);
    }
  });
}

/** One prepared UPDATE per patch shape, found by bit mask rather than by SQL text at tick rate. */
function updateFor(db: SqliteDb, shape: number): ShapedUpdate | null {
  if (shape === 0) return null;
  let updates = updatesByDb.get(db);
  if (!updates) updatesByDb.set(db, (updates = new Map()));
  let update = updates.get(shape);
  if (!update) {
    const fields = progressFieldsOfShape(shape);
    const statement = db.statement(`UPDATE jobs SET ${fields.map((field) => `${columnOf(field)} = ?`).join(', ')} WHERE id = ?`);
    update = { fields, statement };
    updates.set(shape, update);
  }
  return update;
}
