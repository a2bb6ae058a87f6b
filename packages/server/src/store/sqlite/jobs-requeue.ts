import { HeadwayError } from '@headway/protocol';
import type { ClaimedJob, RequeueRequest } from '../store.js';
import { appendEvents } from './events.js';
import { rowToJob, type Row } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

const BACK_TO_QUEUE = "SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, seq = seq + 1";

/**
 * running → queued for jobs leased by `nodeId` (its restart: "node restarted") or whose lease
 * expired (a node died: "lease expired"), in one transaction however many there are, keeping
 * checkpoint and control. Set-based UPDATEs, so 10,000 jobs cost two statements plus their
 * events. Reported jobs hold no lease and are never matched.
 */
export function requeueJobs(db: SqliteDb, request: RequeueRequest): ClaimedJob[] {
  if (request.nodeId === undefined && request.leaseExpiredBefore === undefined) {
    throw new HeadwayError('INTERNAL', 'requeue needs a nodeId, a leaseExpiredBefore time, or both');
  }
  const now = request.now;
  return db.write(() => {
    const requeued: ClaimedJob[] = [];
    const back = (rows: Row[], reason: string) => {
      for (const job of rows.map(rowToJob)) {
        requeued.push({ job, events: appendEvents(db, job.id, job.seq, now, [{ kind: 'transition', from: 'running', to: 'queued', reason }]) });
      }
    };
    // By node first, so a job that matches both says why it really came back.
    if (request.nodeId !== undefined) {
      back(db.all<Row>(`UPDATE jobs ${BACK_TO_QUEUE} WHERE status = 'running' AND lease_owner = ? RETURNING *`, now, request.nodeId), 'node restarted');
    }
    if (request.leaseExpiredBefore !== undefined) {
      back(db.all<Row>(`UPDATE jobs ${BACK_TO_QUEUE} WHERE status = 'running' AND lease_expires_at < ? RETURNING *`, now, request.leaseExpiredBefore), 'lease expired');
    }
    // Oldest first, like claim, so the runtime restarts them in the order they were queued.
    return requeued.sort((a, b) => a.job.createdAt - b.job.createdAt || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
  });
}
