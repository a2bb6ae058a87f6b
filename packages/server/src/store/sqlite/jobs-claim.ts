import type { ClaimedJob, ClaimRequest } from '../store.js';
import { appendEvents } from './events.js';
import { getJob } from './jobs-get.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * queued → running for the oldest claimable jobs of a type, up to `limit`. The immediate
 * transaction holds SQLite's single write lock from the SELECT to the UPDATEs, so no two callers
 * (in this process or another one on the same file) can pick the same job.
 */
export function claimJobs(db: SqliteDb, request: ClaimRequest, limit: number): ClaimedJob[] {
  return db.write(() => {
    const next = db.all<{ id: string; seq: number }>(
      `SELECT id, seq FROM jobs
        WHERE status = 'queued' AND type = ? AND (run_after IS NULL OR run_after <= ?)
        ORDER BY created_at, id LIMIT ?`,
      request.type,
      request.now,
      limit,
    );
    return next.map(({ id, seq }) => {
      db.run(
        `UPDATE jobs
            SET status = 'running', control = 'run', lease_owner = ?, lease_expires_at = ?,
                started_at = COALESCE(started_at, ?), updated_at = ?, active_at = ?, seq = seq + 1
          WHERE id = ?`,
        request.nodeId,
        request.leaseExpiresAt,
        request.now,
        request.now,
        request.now,
        id,
      );
      const events = appendEvents(db, id, seq + 1, request.now, [{ kind: 'transition', from: 'queued', to: 'running', reason: 'claimed' }]);
      return { job: getJob(db, id)!, events };
    });
  });
}

/** Extends the leases `nodeId` still holds among `ids`; a job requeued or finished meanwhile is not among the result. */
export function renewLeases(db: SqliteDb, nodeId: string, ids: readonly string[], leaseExpiresAt: number): string[] {
  if (ids.length === 0) return [];
  return db
    .all<{ id: string }>(
      `UPDATE jobs SET lease_expires_at = ?
        WHERE lease_owner = ? AND status = 'running' AND id IN (SELECT value FROM json_each(?))
        RETURNING id`,
      leaseExpiresAt,
      nodeId,
      JSON.stringify(ids),
    )
    .map((row) => row.id);
}
