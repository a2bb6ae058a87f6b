import type { ProgressPatch } from '../store.js';
import { columnOf, isJsonField, type JobField } from '../job-columns.js';
import { ordersByReport, progressFieldsOfShape, progressShapeOf } from '../progress-fields.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * The UPDATEs that write a set of progress patches, as SQL text and bound values: what the main
 * connection runs, or what is posted to the writer thread (see writer-thread.ts).
 */
export interface ProgressWrites {
  /** The distinct UPDATE texts, each named below by its index. */
  sql: string[];
  /** Per row to update: the index of its UPDATE in `sql`. */
  statementOf: number[];
  /** Per row: its bound values, in order. */
  values: unknown[][];
  /** Per row: the job's id where the UPDATE holds only at the patch's seq (no row changed means stale), else null. */
  guardedIds: Array<string | null>;
}

interface ShapedUpdate {
  fields: JobField[];
  /** Per field: stored as JSON text; set only where the row holds no newer report (bound after the report's time). */
  json: boolean[];
  byReport: boolean[];
  /** Whether the shape holds a report (updatedAt): its time is bound once more, for reported_at. */
  reported: boolean;
  sql: string;
}

/** One UPDATE per patch shape (and seq guard), found by bit mask rather than built at tick rate. */
const updatesByShape = new Map<number, ShapedUpdate>();

/**
 * Plans the writes of coalesced progress for many jobs, to run in one transaction, which is what
 * lets tens of thousands of ticks per second cost a few transactions. Never touches status or
 * seq; a job deleted meanwhile is skipped; of two patches to one job the later wins.
 */
export function progressWrites(patches: readonly ProgressPatch[]): ProgressWrites {
  const writes: ProgressWrites = { sql: [], statementOf: [], values: [], guardedIds: [] };
  const indexOfSql = new Map<string, number>();
  for (const patch of patches) {
    const guarded = patch.seq !== undefined;
    const update = updateFor(progressShapeOf(patch), guarded);
    if (!update) continue;
    const { fields, json, byReport } = update;
    const values: unknown[] = [];
    for (let i = 0; i < fields.length; i++) {
      const value = (patch as Record<string, unknown>)[fields[i]!];
      if (byReport[i]) values.push(patch.updatedAt);
      values.push(value === undefined || value === null ? null : json[i] ? JSON.stringify(value) : value);
    }
    if (update.reported) values.push(patch.updatedAt);
    values.push(patch.id);
    if (guarded) values.push(patch.seq);
    let index = indexOfSql.get(update.sql);
    if (index === undefined) indexOfSql.set(update.sql, (index = writes.sql.push(update.sql) - 1));
    writes.statementOf.push(index);
    writes.values.push(values);
    writes.guardedIds.push(guarded ? patch.id : null);
  }
  return writes;
}

/** The ids of the guarded rows among those no UPDATE changed: their seq no longer holds, or the job is gone. */
export function staleIds(writes: ProgressWrites, unchangedRows: readonly number[]): string[] {
  return unchangedRows.map((row) => writes.guardedIds[row]).filter((id): id is string => id !== null && id !== undefined);
}

/** Runs planned writes on the main connection in one transaction; answers the rows no UPDATE changed. */
export function runProgressWrites(db: SqliteDb, writes: ProgressWrites): number[] {
  const unchanged: number[] = [];
  if (writes.values.length === 0) return unchanged;
  const statements = writes.sql.map((sql) => db.statement(sql));
  db.write(() => {
    writes.values.forEach((values, row) => {
      if (statements[writes.statementOf[row]!]!.run(values).changes === 0) unchanged.push(row);
    });
  });
  return unchanged;
}

/** Writes progress patches on the main connection; answers the ids of stale ones (see progressWrites, staleIds). */
export function saveProgress(db: SqliteDb, patches: readonly ProgressPatch[]): string[] {
  const writes = progressWrites(patches);
  return staleIds(writes, runProgressWrites(db, writes));
}

/**
 * A patch holding a report (its updatedAt) sets its fields only where the row holds no newer
 * report (see ordersByReport); the row still counts as written: what it holds is newer.
 */
function updateFor(shape: number, guarded: boolean): ShapedUpdate | null {
  if (shape === 0) return null;
  const key = guarded ? -shape : shape;
  let update = updatesByShape.get(key);
  if (!update) {
    const fields = progressFieldsOfShape(shape);
    const reported = fields.includes('updatedAt');
    const byReport = fields.map((field) => reported && ordersByReport(field));
    const sets = fields.map((field, i) => {
      const column = columnOf(field);
      return byReport[i] ? `${column} = CASE WHEN reported_at <= ? THEN ? ELSE ${column} END` : `${column} = ?`;
    });
    if (reported) sets.push('reported_at = MAX(reported_at, ?)');
    const sql = `UPDATE jobs SET ${sets.join(', ')} WHERE id = ?${guarded ? ' AND seq = ?' : ''}`;
    update = { fields, json: fields.map(isJsonField), byReport, reported, sql };
    updatesByShape.set(key, update);
  }
  return update;
}
