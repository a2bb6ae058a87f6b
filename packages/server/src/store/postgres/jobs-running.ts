import { RUNNING_FACT_COLUMNS } from '../running-facts.js';
import type { RunningJobFacts } from '../store.js';
import type { PgDb } from './pg-db.js';

/** A page of running jobs' alert facts in (created_at, id) order, on the jobs_by_status index. */
export function runningFacts(db: PgDb, after: Pick<RunningJobFacts, 'createdAt' | 'id'> | null, limit: number): Promise<RunningJobFacts[]> {
  if (!after) return db.all<RunningJobFacts>(`SELECT ${RUNNING_FACT_COLUMNS} FROM jobs WHERE status = 'running' ORDER BY created_at, id LIMIT $1`, [limit]);
  return db.all<RunningJobFacts>(`SELECT ${RUNNING_FACT_COLUMNS} FROM jobs WHERE status = 'running' AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3`, [
    after.createdAt,
    after.id,
    limit,
  ]);
}
