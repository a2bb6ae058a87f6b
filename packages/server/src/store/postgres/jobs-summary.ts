import type { JobStatus } from '@headway/protocol';
import type { ChildSummary } from '../store.js';
import type { PgDb } from './pg-db.js';

/** Counts by status and the weighted percent of a parent's direct children (jobs_by_parent index). */
export async function childSummary(db: PgDb, parentId: string): Promise<ChildSummary> {
  const rows = await db.all<{ status: JobStatus; n: number; weight: number; weighted: number }>(
    'SELECT status, COUNT(*) AS n, SUM(weight) AS weight, SUM(weight * percent) AS weighted FROM jobs WHERE parent_id = $1 GROUP BY status',
    [parentId],
  );
  const counts: ChildSummary['counts'] = { total: 0, pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 };
  let weight = 0;
  let weighted = 0;
  for (const row of rows) {
    counts[row.status === 'queued' ? 'pending' : row.status] += row.n;
    counts.total += row.n;
    weight += row.weight;
    weighted += row.weighted;
  }
  return { counts, weightedPercent: weight > 0 ? Math.min(100, Math.max(0, weighted / weight)) : 0 };
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
