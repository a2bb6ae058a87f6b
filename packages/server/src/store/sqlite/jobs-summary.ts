import { summarizeChildren, type ChildStatusGroup } from '../child-summary.js';
import type { ChildSummary } from '../store.js';
import type { SqliteDb } from './sqlite-db.js';

/** Counts by status and the weighted percent of a parent's direct children (jobs_by_parent index). */
export function childSummary(db: SqliteDb, parentId: string): ChildSummary {
  const rows = db.all<ChildStatusGroup>(
    'SELECT status, COUNT(*) AS n, SUM(weight) AS weight, SUM(weight * percent) AS weighted FROM jobs WHERE parent_id = ? GROUP BY status',
    parentId,
  );
  return summarizeChildren(rows);
}

/** Work time (finished − started − paused) of the newest completed jobs of a type: the ETA prior. */
export function recentDurations(db: SqliteDb, type: string, limit: number): number[] {
  return db
    .all<{ duration: number }>(
      `SELECT MAX(finished_at - started_at - paused_ms, 0) AS duration FROM jobs
        WHERE type = ? AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY finished_at DESC, id DESC LIMIT ?`,
      type,
      limit,
    )
    .map((row) => row.duration);
}
