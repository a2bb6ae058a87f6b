import type { ClaimedJob, ClaimRequest } from '../store.js';
import { JOB_COLUMN_LIST, rowToJob } from './job-rows.js';
import { EVENTS_LOCK_CLASS } from './locks.js';
import type { PgDb } from './pg-db.js';

/*
 * One statement, one round trip: the oldest claimable queued jobs of a type ($6 of them), locked; SKIP LOCKED
 * passes over rows another transaction (another worker, another node) is claiming right now, so
 * claimers never queue behind each other and never get the same job. The UPDATE re-checks status
 * in case the row changed between the snapshot and the lock. The events lock (locks.ts) joins
 * the event insert, so it is held before the event's cursor is drawn and until the commit.
 */
const CLAIM = `WITH next AS (
    SELECT id FROM jobs
     WHERE status = 'queued' AND type = $1 AND (run_after IS NULL OR run_after <= $2)
     ORDER BY created_at, id
     LIMIT $6
     FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE jobs j
       SET status = 'running', control = 'run', lease_owner = $3, lease_expires_at = $4,
           started_at = COALESCE(j.started_at, $2), updated_at = $2, active_at = $2, seq = j.seq + 1
      FROM next
     WHERE j.id = next.id AND j.status = 'queued'
    RETURNING ${JOB_COLUMN_LIST.split(', ').map((column) => `j.${column}`).join(', ')}
  ), locked AS (
    SELECT pg_advisory_xact_lock(${EVENTS_LOCK_CLASS}, hashtext($5)) AS held WHERE EXISTS (SELECT 1 FROM claimed)
  ), event AS (
    INSERT INTO job_events (job_id, seq, at, kind, data)
    SELECT claimed.id, claimed.seq, $2, 'transition', '{"from":"queued","to":"running","reason":"claimed"}'::jsonb
      FROM locked, (SELECT * FROM claimed ORDER BY created_at, id) claimed
    RETURNING job_id, cursor
  )
  SELECT claimed.*, event.cursor AS claim_cursor FROM claimed JOIN event ON event.job_id = claimed.id ORDER BY event.cursor`;

/**
 * queued → running with a lease for this node, and the `claimed` transitions, atomically, for up
 * to `limit` jobs (oldest first; a node fills its free slots in one round trip). A named
 * (server-side prepared) statement: claiming is the hot loop of recovery, and planning the CTE
 * cost more than running it. Its columns are listed, so a later migration cannot change the
 * prepared result type under a running node.
 */
export async function claimJobs(db: PgDb, request: ClaimRequest, limit: number): Promise<ClaimedJob[]> {
  const rows = await db.all({ name: 'headway_claim', text: CLAIM }, [request.type, request.now, request.nodeId, request.leaseExpiresAt, db.options.schema, limit]);
  return rows.map((row) => {
    const job = rowToJob(row);
    const event = { kind: 'transition', from: 'queued', to: 'running', reason: 'claimed', jobId: job.id, seq: job.seq, at: request.now, cursor: Number(row.claim_cursor) } as const;
    return { job, events: [event] };
  });
}

/** Extends the leases `nodeId` still holds among `ids`; a job requeued or finished meanwhile is not among the result. */
export async function renewLeases(db: PgDb, nodeId: string, ids: readonly string[], leaseExpiresAt: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.all<{ id: string }>(
    `UPDATE jobs SET lease_expires_at = $1 WHERE lease_owner = $2 AND status = 'running' AND id = ANY($3::text[]) RETURNING id`,
    [leaseExpiresAt, nodeId, ids],
  );
  // In the order asked, like the SQLite store.
  const kept = new Set(rows.map((row) => row.id));
  return ids.filter((id) => kept.has(id));
}
