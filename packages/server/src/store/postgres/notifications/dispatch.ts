import type { AttemptOutcome, NotificationRecord } from '../../notification-store.js';
import type { ChannelName, NotificationData } from '../../../notify/types.js';
import type { PgDb } from '../pg-db.js';
import { insertNotification } from './enqueue.js';
import { NOTIFICATION_COLUMNS, toNotification, type PgNotificationRow } from './rows.js';

/** SKIP LOCKED: dispatchers on several nodes claim disjoint rows without waiting on each other. */
export async function claimDue(db: PgDb, leaseOwner: string, now: number, leaseExpiresAt: number, limit: number): Promise<NotificationRecord[]> {
  const rows = await db.all<PgNotificationRow>(
    `UPDATE notifications SET status = 'sending', lease_owner = $1, lease_expires_at = $2, updated_at = $3
     WHERE id IN (SELECT id FROM notifications WHERE status IN ('queued', 'failed', 'deferred') AND due_at <= $3 ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING ${NOTIFICATION_COLUMNS}`,
    [leaseOwner, leaseExpiresAt, now, limit],
  );
  return rows.map(toNotification).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

export async function requeueLeased(db: PgDb, request: { leaseOwner?: string; leaseExpiredBefore?: number }, now: number): Promise<number> {
  const set = "SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, due_at = $1, updated_at = $1";
  if (request.leaseOwner !== undefined) return db.run(`UPDATE notifications ${set} WHERE status = 'sending' AND lease_owner = $2`, [now, request.leaseOwner]);
  return db.run(`UPDATE notifications ${set} WHERE status = 'sending' AND lease_expires_at < $2`, [now, request.leaseExpiredBefore ?? now]);
}

export async function complete(db: PgDb, outcome: AttemptOutcome, now: number): Promise<boolean> {
  return db.transaction(async (client) => {
    const { id, leaseOwner, attempt, status } = outcome;
    const updated = await db.run(
      `UPDATE notifications SET status = $1, attempts = $2, due_at = COALESCE($3, due_at), last_error = $4, lease_owner = NULL, lease_expires_at = NULL,
         sent_at = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at END, title = COALESCE($6, title), body_text = COALESCE($7, body_text), updated_at = $5
       WHERE id = $8 AND status = 'sending' AND lease_owner = $9`,
      [status, attempt.attempt, outcome.dueAt ?? null, attempt.error, now, outcome.title ?? null, outcome.text ?? null, id, leaseOwner],
      client,
    );
    if (updated === 0) return false;
    await db.run(
      'INSERT INTO notification_attempts (notification_id, attempt, channel, started_at, ended_at, outcome, error) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING',
      [id, attempt.attempt, attempt.channel, attempt.startedAt, attempt.endedAt, attempt.outcome, attempt.error],
      client,
    );
    return true;
  });
}

export async function defer(db: PgDb, id: string, leaseOwner: string, dueAt: number, now: number): Promise<boolean> {
  const changed = await db.run(
    "UPDATE notifications SET status = 'deferred', due_at = $1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $2 WHERE id = $3 AND status = 'sending' AND lease_owner = $4",
    [dueAt, now, id, leaseOwner],
  );
  return changed > 0;
}

export async function skip(db: PgDb, id: string, leaseOwner: string, reason: string, now: number): Promise<boolean> {
  const changed = await db.run(
    "UPDATE notifications SET status = 'skipped', last_error = $1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $2 WHERE id = $3 AND status = 'sending' AND lease_owner = $4",
    [reason, now, id, leaseOwner],
  );
  return changed > 0;
}

/** Closes ended digests and writes their messages in one transaction (rows locked, other nodes skip them). */
export async function flushDigests(db: PgDb, now: number, newId: () => string): Promise<number> {
  return db.transaction(async (client) => {
    const due = await db.all<{ id: string; user_id: string; type: string; window_start: number; window_end: number; channels: ChannelName[] }>(
      'SELECT id, user_id, type, window_start, window_end, channels FROM notification_digests WHERE closed_at IS NULL AND window_end <= $1 ORDER BY window_end LIMIT 500 FOR UPDATE SKIP LOCKED',
      [now],
      client,
    );
    let written = 0;
    for (const digest of due) {
      const items = (await db.all<{ data: NotificationData }>('SELECT data FROM notification_digest_items WHERE digest_id = $1 ORDER BY created_at, item_key', [digest.id], client)).map((r) => r.data);
      const data: NotificationData = { type: digest.type, at: digest.window_end, job: null, digest: { count: items.length, windowStart: digest.window_start, windowEnd: digest.window_end, items } };
      for (const channel of digest.channels) {
        const row = { id: newId(), key: `digest:${digest.id}|${channel}`, userId: digest.user_id, type: digest.type, channel, jobId: null, urgent: false, data, dueAt: now };
        if (items.length > 0 && (await insertNotification(db, row, now, client))) written++;
      }
      await db.run('UPDATE notification_digests SET closed_at = $1 WHERE id = $2', [now, digest.id], client);
    }
    return written;
  });
}
