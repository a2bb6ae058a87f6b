import { summarizeChildren, type ChildStatusGroup } from '../child-summary.js';
import type { ChildSummary } from '../store.js';
import type { PgDb } from './pg-db.js';

/** Counts by status and the weighted percent of a parent's direct children (jobs_by_parent index). */
export async function childSummary(db: PgDb, parentId: string): Promise<ChildSummary> {
  const rows = await db.all<ChildStatusGroup>(
    'SELECT status, COUNT(*) AS n, SUM(weight) AS weight, SUM(weight * percent) AS weighted FROM jobs WHERE parent_id = $1 GROUP BY status',
    [parentId],
  );
  return summarizeChildren(rows);
}

/** Work time (finished − started − paused) of the newest completed jobs of a type: the ETA prior. */
export async function recentDurations(db: PgDb, type: string, limit: number): Promise<number[]> {
  const rows = await db.all<{ duration: number }>(
    `SELECT GREATEST(finished_at - started_at - paused_ms, 0) AS duration FROM jobs
      WHERE type = $1 AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL
      ORDER BY finished_at DESC, id DESC LIMIT $2`,
    [type, limit],
  );
  return rows.map((row) => row.duration);
}
