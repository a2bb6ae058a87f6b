import type Database from 'better-sqlite3';
import type { ProgressPatch } from '../store.js';
import { columnOf, isJsonField, type JobField } from '../job-columns.js';
import { progressFieldsOfShape, progressShapeOf } from '../progress-fields.js';
import type { SqliteDb } from './sqlite-db.js';

interface ShapedUpdate {
  fields: JobField[];
  /** Per field: stored as JSON text. */
  json: boolean[];
  statement: Database.Statement<unknown[], unknown>;
  /** The bound values, reused row after row (better-sqlite3 binds an array's elements in order). */
  values: unknown[];
}

const updatesByDb = new WeakMap<SqliteDb, Map<number, ShapedUpdate>>();

/**
 * Writes coalesced progress for many jobs in one transaction, which is what lets tens of
 * thousands of ticks per second cost a few transactions. Never touches status or seq; a job
 * deleted meanwhile is skipped; of two patches to one job the later wins.
 */
export function saveProgress(db: SqliteDb, patches: readonly ProgressPatch[]): string[] {
  const stale: string[] = [];
  if (patches.length === 0) return stale;
  db.write(() => {
    for (const patch of patches) {
      const guarded = patch.seq !== undefined;
      const update = updateFor(db, progressShapeOf(patch), guarded);
      if (!update) continue;
      const { fields, json, values } = update;
      for (let i = 0; i < fields.length; i++) {
        const value = (patch as Record<string, unknown>)[fields[i]!];
        values[i] = value === undefined || value === null ? null : json[i] ? JSON.stringify(value) : value;
      }
      values[fields.length] = patch.id;
      if (guarded) values[fields.length + 1] = patch.seq;
      if (update.statement.run(values).changes === 0 && guarded) stale.push(patch.id);
    }
  });
  return stale;
}

/** One prepared UPDATE per patch shape (and seq guard), found by bit mask rather than by SQL text at tick rate. */
function updateFor(db: SqliteDb, shape: number, guarded: boolean): ShapedUpdate | null {
  if (shape === 0) return null;
  let updates = updatesByDb.get(db);
  if (!updates) updatesByDb.set(db, (updates = new Map()));
  const key = guarded ? -shape : shape;
  let update = updates.get(key);
  if (!update) {
    const fields = progressFieldsOfShape(shape);
    const statement = db.statement(`UPDATE jobs SET ${fields.map((field) => `${columnOf(field)} = ?`).join(', ')} WHERE id = ?${guarded ? ' AND seq = ?' : ''}`);
    update = { fields, json: fields.map(isJsonField), statement, values: new Array<unknown>(fields.length + (guarded ? 2 : 1)) };
    updates.set(key, update);
  }
  return update;
}
