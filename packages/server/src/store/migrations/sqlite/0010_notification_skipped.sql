-- A notification can be skipped: at send time the dispatcher finds that the user no longer wants
-- it (the job muted, the channel or type switched off, the contact removed) and marks it so,
-- with the reason in last_error. SQLite cannot change a CHECK constraint in place: the outbox is
-- rebuilt with the same columns and indexes. Its attempts are moved aside first, so dropping the
-- old table cascades into nothing, and put back after.
CREATE TABLE notification_attempts_moving AS SELECT * FROM notification_attempts;
DROP TABLE notification_attempts;

CREATE TABLE notifications_next (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  user_id          TEXT NOT NULL,
  type             TEXT NOT NULL,
  channel          TEXT NOT NULL,
  job_id           TEXT,
  urgent           INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'deferred', 'dead', 'skipped')),
  data             TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  due_at           INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  last_error       TEXT,
  escalated_from   TEXT,
  escalated        INTEGER NOT NULL DEFAULT 0,
  title            TEXT,
  body_text        TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  read_at          INTEGER,
  seen_at          INTEGER
);
INSERT INTO notifications_next SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (due_at) WHERE status IN ('queued', 'failed', 'deferred');
CREATE INDEX notifications_leased ON notifications (lease_owner, lease_expires_at) WHERE status = 'sending';
CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE channel = 'in_app' AND read_at IS NULL;
CREATE INDEX notifications_finished ON notifications (updated_at) WHERE status NOT IN ('queued', 'sending', 'failed', 'deferred');
CREATE INDEX notifications_by_job ON notifications (job_id);

CREATE TABLE notification_attempts (
  notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  attempt         INTEGER NOT NULL,
  channel         TEXT NOT NULL,
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'dead')),
  error           TEXT,
  PRIMARY KEY (notification_id, attempt)
) WITHOUT ROWID;
INSERT INTO notification_attempts SELECT * FROM notification_attempts_moving;
DROP TABLE notification_attempts_moving;
