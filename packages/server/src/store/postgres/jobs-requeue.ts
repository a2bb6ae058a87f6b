import { HeadwayError } from '@headway/protocol';
import type { ClaimedJob, RequeueRequest } from '../store.js';
import { appendEvents } from './events.js';
import { rowToJob } from './job-rows.js';
import type { PgDb, Queryable } from './pg-db.js';

const BACK_TO_QUEUE = "SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = $1, seq = seq + 1";

/**
 * running → queued for jobs leased by `nodeId` ("node restarted") or whose lease expired ("lease
 * expired"), set-based: two UPDATEs and one event insert however many jobs come back. Rows
 * another transaction holds are skipped (SKIP LOCKED): that node is renewing, finishing or
 * requeueing them itself, and the next pass sees the outcome. Reported jobs hold no lease.
 */
export async function requeueJobs(db: PgDb, request: RequeueRequest): Promise<ClaimedJob[]> {
  if (request.nodeId === undefined && request.leaseExpiredBefore === undefined) {
    throw new HeadwayError('INTERNAL', 'requeue needs a nodeId, a leaseExpiredBefore time, or both');
  }
  const { now } = request;
  return db.transaction(async (client) => {
    const back: Array<{ job: ClaimedJob['job']; reason: string }> = [];
    // By node first, so a job that matches both says why it really came back.
    if (request.nodeId !== undefined) {
      for (const job of await requeueWhere(db, client, 'lease_owner = $2', [now, request.nodeId])) back.push({ job, reason: 'node restarted' });
    }
    if (request.leaseExpiredBefore !== undefined) {
      for (const job of await requeueWhere(db, client, 'lease_expires_at < $2', [now, request.leaseExpiredBefore])) back.push({ job, reason: 'lease expired' });
    }
    if (back.length === 0) return [];
    // Oldest first, like claim, so the runtime restarts them in the order they were queued.
    back.sort((a, b) => a.job.createdAt - b.job.createdAt || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
    const events = await appendEvents(
      db,
      client,
      back.map(({ job, reason }) => ({ jobId: job.id, seq: job.seq, at: now, event: { kind: 'transition', from: 'running', to: 'queued', reason } })),
    );
    return back.map(({ job }, i) => ({ job, events: [events[i]!] }));
  });
}

async function requeueWhere(db: PgDb, client: Queryable, condition: string, params: unknown[]) {
  const rows = await db.all(
    `UPDATE jobs ${BACK_TO_QUEUE}
      WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND ${condition} FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    params,
    client,
  );
  return rows.map(rowToJob);
}
