import type { JobRecord } from '../../model/job-record.js';
import { rowToJob, type Row } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

export function getJob(db: SqliteDb, id: string): JobRecord | null {
  const row = db.get<Row>('SELECT * FROM jobs WHERE id = ?', id);
  return row ? rowToJob(row) : null;
}

/** The jobs that exist among `ids`, in the order asked. */
export function getJobs(db: SqliteDb, ids: readonly string[]): JobRecord[] {
  if (ids.length === 0) return [];
  const rows = db.all<Row>('SELECT * FROM jobs WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
  const byId = new Map(rows.map((row) => [row.id as string, row]));
  return [...new Set(ids)].flatMap((id) => {
    const row = byId.get(id);
    return row ? [rowToJob(row)] : [];
  });
}
