import type { ProgressPatch } from '../store.js';
import { columnOf, isJsonField, type JobField } from '../job-columns.js';
import { ordersByReport, progressFieldsOfShape, progressShapeOf } from '../progress-fields.js';
import type { PgDb } from './pg-db.js';

/** SQL type of each progress column, for jsonb_to_recordset's column list. */
const SQL_TYPES: Partial<Record<JobField, string>> = {
  percent: 'DOUBLE PRECISION',
  done: 'DOUBLE PRECISION',
  total: 'DOUBLE PRECISION',
  unit: 'TEXT',
  currentStep: 'TEXT',
  message: 'TEXT',
  updatedAt: 'BIGINT',
  activeAt: 'BIGINT',
};

const updatesByShape = new Map<number, string>();

/**
 * Writes coalesced progress for many jobs with one UPDATE … FROM jsonb_to_recordset per patch
 * shape (the flusher sends one shape, so one statement per batch). Never touches status or seq;
 * a job deleted meanwhile matches no row. Patches to one job are merged first, later fields
 * winning, because one UPDATE may not change a row twice.
 */
export async function saveProgress(db: PgDb, patches: readonly ProgressPatch[]): Promise<string[]> {
  const byShape = new Map<number, Array<Record<string, unknown>>>();
  const guardedIds = new Set<string>();
  // In id order: each UPDATE walks its rows in the order given, locking each as it writes it, so
  // two flushes (two nodes reporting the same jobs) never hold a row each that the other waits
  // for; in opposite orders they deadlocked, which PostgreSQL breaks only after 1 s.
  for (const patch of [...mergeByJob(patches).values()].sort(byId)) {
    const shape = progressShapeOf(patch);
    if (shape === 0) continue;
    const key = patch.seq !== undefined ? -shape : shape;
    if (patch.seq !== undefined) guardedIds.add(patch.id);
    let rows = byShape.get(key);
    if (!rows) byShape.set(key, (rows = []));
    rows.push(rowOf(patch, progressFieldsOfShape(shape)));
  }
  if (byShape.size === 0) return [];
  const written = new Set<string>();
  const write = async (key: number, rows: Array<Record<string, unknown>>, client?: Parameters<PgDb['all']>[2]) => {
    const done = await db.all<{ id: string }>(updateFor(Math.abs(key), key < 0), [JSON.stringify(rows)], client);
    for (const { id } of done) written.add(id);
  };
  if (byShape.size === 1) {
    const [key, rows] = byShape.entries().next().value!;
    await write(key, rows);
  } else {
    await db.transaction(async (client) => {
      // Each UPDATE locks its rows in id order, but one after another they would not be: all of them first.
      const ids = [...byShape.values()].flat().map((row) => row.id as string).sort();
      await db.run('SELECT id FROM jobs WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE', [ids], client);
      for (const [key, rows] of byShape) await write(key, rows, client);
    });
  }
  return [...guardedIds].filter((id) => !written.has(id));
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function mergeByJob(patches: readonly ProgressPatch[]): Map<string, ProgressPatch> {
  const merged = new Map<string, ProgressPatch>();
  for (const patch of patches) {
    const earlier = merged.get(patch.id);
    merged.set(patch.id, earlier ? { ...earlier, ...withoutUndefined(patch) } : patch);
  }
  return merged;
}

function withoutUndefined(patch: ProgressPatch): ProgressPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as ProgressPatch;
}

function rowOf(patch: ProgressPatch, fields: readonly JobField[]): Record<string, unknown> {
  const row: Record<string, unknown> = { id: patch.id };
  if (patch.seq !== undefined) row.seq = patch.seq;
  for (const field of fields) row[columnOf(field)] = (patch as Record<string, unknown>)[field] ?? null;
  return row;
}

/**
 * `guarded`: only rows whose seq is still the patch's (see ProgressPatch.seq). A patch holding a
 * report (its updatedAt) sets its fields only where the row holds no newer report (see
 * ordersByReport); the row still counts as written, as it is: what it holds is newer.
 */
function updateFor(shape: number, guarded: boolean): string {
  const key = guarded ? -shape : shape;
  let sql = updatesByShape.get(key);
  if (!sql) {
    const fields = progressFieldsOfShape(shape);
    const columns = fields.map((field) => `${columnOf(field)} ${isJsonField(field) ? 'JSONB' : SQL_TYPES[field]!}`);
    const reported = fields.includes('updatedAt');
    const sets = fields.map((field) => {
      const column = columnOf(field);
      return reported && ordersByReport(field) ? `${column} = CASE WHEN j.reported_at <= p.updated_at THEN p.${column} ELSE j.${column} END` : `${column} = p.${column}`;
    });
    if (reported) sets.push('reported_at = GREATEST(j.reported_at, p.updated_at)');
    sql =
      `UPDATE jobs j SET ${sets.join(', ')}` +
      ` FROM jsonb_to_recordset($1::jsonb) AS p(id TEXT, ${guarded ? 'seq BIGINT, ' : ''}${columns.join(', ')})` +
      ` WHERE j.id = p.id${guarded ? ' AND j.seq = p.seq' : ''} RETURNING j.id`;
    updatesByShape.set(key, sql);
  }
  return sql;
}
