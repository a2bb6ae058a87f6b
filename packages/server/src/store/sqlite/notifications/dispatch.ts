import type { AttemptOutcome, NotificationRecord } from '../../notification-store.js';
import type { SqliteDb } from '../sqlite-db.js';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './rows.js';

/** Due rows → sending, leased to one dispatcher; a row is never claimed by two (one writer at a time). */
export function claimDue(db: SqliteDb, leaseOwner: string, now: number, leaseExpiresAt: number, limit: number): NotificationRecord[] {
  return db.write(() => {
    const rows = db.all<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE status IN ('queued', 'failed', 'deferred') AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
      now,
      limit,
    );
    for (const row of rows) {
      db.run("UPDATE notifications SET status = 'sending', lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?", leaseOwner, leaseExpiresAt, now, row.id);
      Object.assign(row, { status: 'sending', lease_owner: leaseOwner, lease_expires_at: leaseExpiresAt, updated_at: now });
    }
    return rows.map(toNotification);
  });
}

/** Unconfirmed sends go back to the queue: a crash re-sends only the rows it had not confirmed. */
export function requeueLeased(db: SqliteDb, request: { leaseOwner?: string; leaseExpiredBefore?: number }, now: number): number {
  const set = "SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, due_at = ?, updated_at = ?";
  if (request.leaseOwner !== undefined) {
    return db.run(`UPDATE notifications ${set} WHERE status = 'sending' AND lease_owner = ?`, now, now, request.leaseOwner).changes;
  }
  return db.run(`UPDATE notifications ${set} WHERE status = 'sending' AND lease_expires_at < ?`, now, now, request.leaseExpiredBefore ?? now).changes;
}

export function complete(db: SqliteDb, outcome: AttemptOutcome, now: number): boolean {
  return db.write(() => {
    const { id, leaseOwner, attempt, status } = outcome;
    const updated = db.run(
      `UPDATE notifications SET status = ?, attempts = ?, due_at = COALESCE(?, due_at), last_error = ?, lease_owner = NULL, lease_expires_at = NULL,
         sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, title = COALESCE(?, title), body_text = COALESCE(?, body_text), updated_at = ?
       WHERE id = ? AND status = 'sending' AND lease_owner = ?`,
      status,
      attempt.attempt,
      outcome.dueAt ?? null,
      attempt.error,
      status,
      now,
      outcome.title ?? null,
      outcome.text ?? null,
      now,
      id,
      leaseOwner,
    );
    if (updated.changes === 0) return false;
    db.run(
      'INSERT INTO notification_attempts (notification_id, attempt, channel, started_at, ended_at, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      id,
      attempt.attempt,
      attempt.channel,
      attempt.startedAt,
      attempt.endedAt,
      attempt.outcome,
      attempt.error,
    );
    return true;
  });
}

export function defer(db: SqliteDb, id: string, leaseOwner: string, dueAt: number, now: number): boolean {
  return (
    db.run(
      "UPDATE notifications SET status = 'deferred', due_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_owner = ?",
      dueAt,
      now,
      id,
      leaseOwner,
    ).changes > 0
  );
}

export function skip(db: SqliteDb, id: string, leaseOwner: string, reason: string, now: number): boolean {
  return (
    db.run(
      "UPDATE notifications SET status = 'skipped', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_owner = ?",
      reason,
      now,
      id,
      leaseOwner,
    ).changes > 0
  );
}

export function markEscalated(db: SqliteDb, id: string): void {
  db.run('UPDATE notifications SET escalated = 1 WHERE id = ?', id);
}
