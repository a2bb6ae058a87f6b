-- Notifications (src/notify): preferences, watches, template overrides, the durable outbox with
-- its attempt history, and digests. Times are epoch milliseconds in BIGINT; JSON columns are JSONB.

-- One document per user (contacts, per-type switches, quiet hours, ...), validated by the service.
CREATE TABLE notification_preferences (
  user_id    TEXT PRIMARY KEY,
  prefs      JSONB NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A user following a job (and its children) or every job of a type.
CREATE TABLE notification_watches (
  target_kind TEXT NOT NULL CHECK (target_kind IN ('job', 'type')),
  target      TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (target_kind, target, user_id)
);
CREATE INDEX notification_watches_by_user ON notification_watches (user_id);

-- Overrides of the built-in templates, one per notification type × channel.
CREATE TABLE notification_templates (
  type       TEXT NOT NULL,
  channel    TEXT NOT NULL,
  template   JSONB NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (type, channel)
);

-- The outbox. idempotency_key (event × recipient × channel) is UNIQUE: the same event never
-- produces the same notification twice, also when the enqueuer replays events after a restart.
CREATE TABLE notifications (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  user_id          TEXT NOT NULL,
  type             TEXT NOT NULL,
  channel          TEXT NOT NULL,
  job_id           TEXT,
  urgent           BOOLEAN NOT NULL DEFAULT FALSE,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'deferred', 'dead')),
  data             JSONB NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  due_at           BIGINT NOT NULL,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  last_error       TEXT,
  escalated_from   TEXT,
  escalated        BOOLEAN NOT NULL DEFAULT FALSE,
  title            TEXT,
  body_text        TEXT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  sent_at          BIGINT,
  read_at          BIGINT,
  seen_at          BIGINT
);
-- The dispatcher's claim: due rows waiting to be sent, oldest first.
CREATE INDEX notifications_due ON notifications (due_at) WHERE status IN ('queued', 'failed', 'deferred');
CREATE INDEX notifications_leased ON notifications (lease_owner, lease_expires_at) WHERE status = 'sending';
CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE channel = 'in_app' AND read_at IS NULL;

-- Every send attempt, for GET /v1/notifications.
CREATE TABLE notification_attempts (
  notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  attempt         INTEGER NOT NULL,
  channel         TEXT NOT NULL,
  started_at      BIGINT NOT NULL,
  ended_at        BIGINT NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'dead')),
  error           TEXT,
  PRIMARY KEY (notification_id, attempt)
);

-- A digest is one row per (user, type, key, window) under a UNIQUE constraint; closing it and
-- writing its notifications happen in one transaction, so it is never sent twice nor in part.
CREATE TABLE notification_digests (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  type         TEXT NOT NULL,
  digest_key   TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  window_end   BIGINT NOT NULL,
  channels     JSONB NOT NULL DEFAULT '[]',
  closed_at    BIGINT,
  created_at   BIGINT NOT NULL,
  UNIQUE (user_id, type, digest_key, window_start)
);
CREATE INDEX notification_digests_open ON notification_digests (window_end) WHERE closed_at IS NULL;

CREATE TABLE notification_digest_items (
  item_key   TEXT PRIMARY KEY,
  digest_id  TEXT NOT NULL REFERENCES notification_digests (id) ON DELETE CASCADE,
  job_id     TEXT,
  data       JSONB NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX notification_digest_items_by_digest ON notification_digest_items (digest_id, created_at);
