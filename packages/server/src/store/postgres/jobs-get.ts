import type { JobRecord } from '../../model/job-record.js';
import { rowToJob } from './job-rows.js';
import type { PgDb } from './pg-db.js';

export async function getJob(db: PgDb, id: string): Promise<JobRecord | null> {
  const row = await db.one('SELECT * FROM jobs WHERE id = $1', [id]);
  return row ? rowToJob(row) : null;
}

/** The jobs that exist among `ids`, in the order asked. */
export async function getJobs(db: PgDb, ids: readonly string[]): Promise<JobRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.all('SELECT * FROM jobs WHERE id = ANY($1::text[])', [ids]);
  const byId = new Map(rows.map((row) => [row.id as string, row]));
  return [...new Set(ids)].flatMap((id) => {
    const row = byId.get(id);
    return row ? [rowToJob(row)] : [];
  });
}
