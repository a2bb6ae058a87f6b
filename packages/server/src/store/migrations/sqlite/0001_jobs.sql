-- Jobs (a tree through parent_id), the per-job event log (the audit trail) and tags.
-- Times are epoch milliseconds. JSON columns hold TEXT produced by JSON.stringify.
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL,
  title            TEXT,
  owner            TEXT,
  parent_id        TEXT REFERENCES jobs (id) ON DELETE CASCADE,
  tags             TEXT NOT NULL DEFAULT '[]',
  metadata         TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
  control          TEXT NOT NULL CHECK (control IN ('run', 'pause', 'cancel')),
  percent          REAL NOT NULL DEFAULT 0,
  done             REAL NOT NULL DEFAULT 0,
  total            REAL,
  unit             TEXT,
  steps            TEXT NOT NULL DEFAULT '[]',
  current_step     TEXT,
  message          TEXT,
  eta              TEXT,
  metrics          TEXT NOT NULL,
  counts           TEXT,
  weight           REAL NOT NULL DEFAULT 1,
  checkpoint       TEXT,
  result           TEXT,
  error            TEXT,
  attempt          INTEGER NOT NULL DEFAULT 1,
  max_attempts     INTEGER NOT NULL,
  run_after        INTEGER,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  updated_at       INTEGER NOT NULL,
  paused_ms        INTEGER NOT NULL DEFAULT 0,
  seq              INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  milestones       TEXT NOT NULL DEFAULT '[]'
);

-- Keyset pagination for both sort orders (id breaks ties).
CREATE INDEX jobs_by_created ON jobs (created_at, id);
CREATE INDEX jobs_by_updated ON jobs (updated_at, id);
CREATE INDEX jobs_by_owner ON jobs (owner, created_at, id);
-- Children of a batch: roll-up (childSummary) and batch control.
CREATE INDEX jobs_by_parent ON jobs (parent_id, created_at, id);
-- claim: the oldest queued job of a type.
CREATE INDEX jobs_claimable ON jobs (type, created_at, id) WHERE status = 'queued';
-- requeue: running jobs by lease owner or lease expiry.
CREATE INDEX jobs_leased_by_owner ON jobs (lease_owner) WHERE status = 'running';
CREATE INDEX jobs_leased_by_expiry ON jobs (lease_expires_at) WHERE status = 'running';
-- recentDurations (ETA prior) and purgeFinished (retention).
CREATE INDEX jobs_completed_by_type ON jobs (type, finished_at) WHERE status = 'completed';
CREATE INDEX jobs_by_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- cursor is store-wide and only grows (AUTOINCREMENT never reuses a purged value).
CREATE TABLE job_events (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at     INTEGER NOT NULL,
  kind   TEXT NOT NULL,
  -- the event's other fields (from, to, reason, name, ...)
  data   TEXT NOT NULL DEFAULT '{}',
  UNIQUE (job_id, seq)
);

-- The tag filter; jobs.tags keeps the list itself for reading.
CREATE TABLE job_tags (
  tag    TEXT NOT NULL,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, job_id)
) WITHOUT ROWID;
CREATE INDEX job_tags_by_job ON job_tags (job_id);
