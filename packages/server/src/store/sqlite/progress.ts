import type Database from 'better-sqlite3';
import type { ProgressPatch } from '../store.js';
import { columnOf, isJsonField, type JobField } from '../job-columns.js';
import { ordersByReport, progressFieldsOfShape, progressShapeOf } from '../progress-fields.js';
import type { SqliteDb } from './sqlite-db.js';

interface ShapedUpdate {
  fields: JobField[];
  /** Per field: stored as JSON text; set only where the row holds no newer report (bound after the report's time). */
  json: boolean[];
  byReport: boolean[];
  /** Whether the shape holds a report (updatedAt): its time is bound once more, for reported_at. */
  reported: boolean;
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
      const { fields, json, byReport, values } = update;
      let at = 0;
      for (let i = 0; i < fields.length; i++) {
        const value = (patch as Record<string, unknown>)[fields[i]!];
        if (byReport[i]) values[at++] = patch.updatedAt;
        values[at++] = value === undefined || value === null ? null : json[i] ? JSON.stringify(value) : value;
      }
      if (update.reported) values[at++] = patch.updatedAt;
      values[at++] = patch.id;
      if (guarded) values[at] = patch.seq;
      if (update.statement.run(values).changes === 0 && guarded) stale.push(patch.id);
    }
  });
  return stale;
}

/**
 * One prepared UPDATE per patch shape (and seq guard), found by bit mask rather than by SQL text
 * at tick rate. A patch holding a report (its updatedAt) sets its fields only where the row holds
 * no newer report (see ordersByReport); the row still counts as written: what it holds is newer.
 */
function updateFor(db: SqliteDb, shape: number, guarded: boolean): ShapedUpdate | null {
  if (shape === 0) return null;
  let updates = updatesByDb.get(db);
  if (!updates) updatesByDb.set(db, (updates = new Map()));
  const key = guarded ? -shape : shape;
  let update = updates.get(key);
  if (!update) {
    const fields = progressFieldsOfShape(shape);
    const reported = fields.includes('updatedAt');
    const byReport = fields.map((field) => reported && ordersByReport(field));
    const sets = fields.map((field, i) => {
      const column = columnOf(field);
      return byReport[i] ? `${column} = CASE WHEN reported_at <= ? THEN ? ELSE ${column} END` : `${column} = ?`;
    });
    if (reported) sets.push('reported_at = MAX(reported_at, ?)');
    const statement = db.statement(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?${guarded ? ' AND seq = ?' : ''}`);
    const bound = fields.length + byReport.filter(Boolean).length + (reported ? 1 : 0) + (guarded ? 2 : 1);
    update = { fields, json: fields.map(isJsonField), byReport, reported, statement, values: new Array<unknown>(bound) };
    updates.set(key, update);
  }
  return update;
}
