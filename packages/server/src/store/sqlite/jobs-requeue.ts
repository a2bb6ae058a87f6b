import { HeadwayError } from '@headway/protocol';
import type { ClaimedJob, RequeueRequest } from '../store.js';
import { appendEvents } from './events.js';
import { rowToJob, type Row } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * running → queued for jobs leased by `nodeId` (its restart) or whose lease expired (a node
 * died): one transaction however many there are, keeping checkpoint and control. Reported jobs
 * hold no lease and are never matched.
 */
export function requeueJobs(db: SqliteDb, request: RequeueRequest): ClaimedJob[] {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (request.nodeId !== undefined) {
    conditions.push('lease_owner = ?');
    params.push(request.nodeId);
  }
  if (request.leaseExpiredBefore !== undefined) {
    conditions.push('lease_expires_at < ?');
    params.push(request.leaseExpiredBefore);
  }
  if (conditions.length === 0) throw new HeadwayError('INTERNAL', 'requeue needs a nodeId, a leaseExpiredBefore time, or both');
  const now = request.now;
  return db.write(() => {
    const rows = db.all<Row>(`SELECT * FROM jobs WHERE status = 'running' AND (${conditions.join(' OR ')}) ORDER BY created_at, id`, ...params);
    return rows.map((row): ClaimedJob => {
      const before = rowToJob(row);
      const reason = request.nodeId !== undefined && before.leaseOwner === request.nodeId ? 'node restarted' : 'lease expired';
      db.run(
        "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, seq = seq + 1 WHERE id = ?",
        now,
        before.id,
      );
      const events = appendEvents(db, before.id, before.seq + 1, now, [{ kind: 'transition', from: 'running', to: 'queued', reason }]);
      return { job: { ...before, status: 'queued', leaseOwner: null, leaseExpiresAt: null, updatedAt: now, seq: before.seq + 1 }, events };
    });
  });
}
