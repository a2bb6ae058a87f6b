import { HeadwayError } from '@headway/protocol';
import { requeueTransition, type RequeueCause } from '../../model/requeue.js';
import type { ClaimedJob, RequeueRequest } from '../store.js';
import { appendEvents } from './events.js';
import { rowToJob } from './job-rows.js';
import type { PgDb, Queryable } from './pg-db.js';

/*
 * Where each job goes follows its control intent (model/requeue.ts): a pending cancel or pause
 * the worker never acknowledged ends the way the acknowledgement would have (planAction in
 * model/transitions.ts), anything else goes back to the queue. SET reads the row as it was, so
 * every CASE sees the old control (which the requeue leaves as it is).
 */
const REQUEUE = `SET status = CASE control WHEN 'cancel' THEN 'cancelled' WHEN 'pause' THEN 'paused' ELSE 'queued' END,
      finished_at = CASE control WHEN 'cancel' THEN $1 ELSE finished_at END,
      eta = CASE control WHEN 'cancel' THEN NULL ELSE eta END,
      paused_at = CASE control WHEN 'pause' THEN $1 ELSE paused_at END,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = $1, active_at = $1, seq = seq + 1`;

/**
 * Running jobs leased by `nodeId` ("node restarted") or whose lease expired ("lease expired")
 * leave their worker, set-based: two UPDATEs and one event insert however many jobs there are.
 * Most go back to the queue; those with a pause or cancel pending become paused or cancelled.
 * Rows another transaction holds are skipped (SKIP LOCKED): that node is renewing, finishing or
 * requeueing them itself, and the next pass sees the outcome. Reported jobs hold no lease.
 */
export async function requeueJobs(db: PgDb, request: RequeueRequest): Promise<ClaimedJob[]> {
  if (request.nodeId === undefined && request.leaseExpiredBefore === undefined) {
    throw new HeadwayError('INTERNAL', 'requeue needs a nodeId, a leaseExpiredBefore time, or both');
  }
  const { now } = request;
  return db.transaction(async (client) => {
    const back: Array<{ job: ClaimedJob['job']; cause: RequeueCause }> = [];
    // By node first, so a job that matches both says why it really came back.
    if (request.nodeId !== undefined) {
      for (const job of await requeueWhere(db, client, 'lease_owner = $2', [now, request.nodeId])) back.push({ job, cause: 'node restarted' });
    }
    if (request.leaseExpiredBefore !== undefined) {
      for (const job of await requeueWhere(db, client, 'lease_expires_at < $2', [now, request.leaseExpiredBefore])) back.push({ job, cause: 'lease expired' });
    }
    if (back.length === 0) return [];
    // Oldest first, like claim, so the runtime restarts them in the order they were queued.
    back.sort((a, b) => a.job.createdAt - b.job.createdAt || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
    const events = await appendEvents(
      db,
      client,
      back.map(({ job, cause }) => ({ jobId: job.id, seq: job.seq, at: now, event: requeueTransition(job.status, cause) })),
    );
    return back.map(({ job }, i) => ({ job, events: [events[i]!] }));
  });
}

async function requeueWhere(db: PgDb, client: Queryable, condition: string, params: unknown[]) {
  const rows = await db.all(
    `UPDATE jobs ${REQUEUE}
      WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND ${condition} FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    params,
    client,
  );
  return rows.map(rowToJob);
}
