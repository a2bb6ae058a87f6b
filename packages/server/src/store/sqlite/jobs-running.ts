import { RUNNING_FACT_COLUMNS } from '../running-facts.js';
import type { RunningJobFacts } from '../store.js';
import type { SqliteDb } from './sqlite-db.js';

/** A page of running jobs' alert facts in (created_at, id) order, on the jobs_by_status index. */
export function runningFacts(db: SqliteDb, after: Pick<RunningJobFacts, 'createdAt' | 'id'> | null, limit: number): RunningJobFacts[] {
  if (!after) return db.all<RunningJobFacts>(`SELECT ${RUNNING_FACT_COLUMNS} FROM jobs WHERE status = 'running' ORDER BY created_at, id LIMIT ?`, limit);
  return db.all<RunningJobFacts>(
    `SELECT ${RUNNING_FACT_COLUMNS} FROM jobs WHERE status = 'running' AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`,
    after.createdAt,
    after.id,
    limit,
  );
}
