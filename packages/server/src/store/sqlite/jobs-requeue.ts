import { HeadwayError } from '@headway/protocol';
import { requeueTransition, type RequeueCause } from '../../model/requeue.js';
import type { ClaimedJob, RequeueRequest } from '../store.js';
import { appendEvents } from './events.js';
import { rowToJob, type Row } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

/*
 * Where each job goes follows its control intent (model/requeue.ts): a pending cancel or pause
 * the worker never acknowledged ends the way the acknowledgement would have (planAction in
 * model/transitions.ts), anything else goes back to the queue. SET reads the row as it was, so
 * every CASE sees the old control (which the requeue leaves as it is).
 */
const REQUEUE = `SET status = CASE control WHEN 'cancel' THEN 'cancelled' WHEN 'pause' THEN 'paused' ELSE 'queued' END,
      finished_at = CASE control WHEN 'cancel' THEN @now ELSE finished_at END,
      eta = CASE control WHEN 'cancel' THEN NULL ELSE eta END,
      paused_at = CASE control WHEN 'pause' THEN @now ELSE paused_at END,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = @now, active_at = @now, seq = seq + 1`;

/**
 * Running jobs leased by `nodeId` (its restart: "node restarted") or whose lease expired (a node
 * died: "lease expired") leave their worker, in one transaction however many there are. Most go
 * back to the queue keeping their checkpoint; those with a pause or cancel pending become paused
 * or cancelled. Set-based UPDATEs, so 10,000 jobs cost two statements plus their events.
 * Reported jobs hold no lease and are never matched.
 */
export function requeueJobs(db: SqliteDb, request: RequeueRequest): ClaimedJob[] {
  if (request.nodeId === undefined && request.leaseExpiredBefore === undefined) {
    throw new HeadwayError('INTERNAL', 'requeue needs a nodeId, a leaseExpiredBefore time, or both');
  }
  const now = request.now;
  return db.write(() => {
    const requeued: ClaimedJob[] = [];
    const back = (rows: Row[], cause: RequeueCause) => {
      for (const job of rows.map(rowToJob)) {
        requeued.push({ job, events: appendEvents(db, job.id, job.seq, now, [requeueTransition(job.status, cause)]) });
      }
    };
    // By node first, so a job that matches both says why it really came back.
    if (request.nodeId !== undefined) {
      back(db.all<Row>(`UPDATE jobs ${REQUEUE} WHERE status = 'running' AND lease_owner = @nodeId RETURNING *`, { now, nodeId: request.nodeId }), 'node restarted');
    }
    if (request.leaseExpiredBefore !== undefined) {
      back(db.all<Row>(`UPDATE jobs ${REQUEUE} WHERE status = 'running' AND lease_expires_at < @before RETURNING *`, { now, before: request.leaseExpiredBefore }), 'lease expired');
    }
    // Oldest first, like claim, so the runtime restarts them in the order they were queued.
    return requeued.sort((a, b) => a.job.createdAt - b.job.createdAt || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
  });
}
