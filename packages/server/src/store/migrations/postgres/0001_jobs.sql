-- Jobs (a tree through parent_id), the per-job event log (the audit trail) and tags.
-- Times are epoch milliseconds in BIGINT (pg returns them as strings unless parsed: see the store).
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL,
  title            TEXT,
  owner            TEXT,
  parent_id        TEXT REFERENCES jobs (id) ON DELETE CASCADE,
  tags             JSONB NOT NULL DEFAULT '[]',
  metadata         JSONB NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
  control          TEXT NOT NULL CHECK (control IN ('run', 'pause', 'cancel')),
  percent          DOUBLE PRECISION NOT NULL DEFAULT 0,
  done             DOUBLE PRECISION NOT NULL DEFAULT 0,
  total            DOUBLE PRECISION,
  unit             TEXT,
  steps            JSONB NOT NULL DEFAULT '[]',
  current_step     TEXT,
  message          TEXT,
  eta              JSONB,
  metrics          JSONB NOT NULL,
  counts           JSONB,
  weight           DOUBLE PRECISION NOT NULL DEFAULT 1,
  checkpoint       JSONB,
  result           JSONB,
  error            JSONB,
  attempt          INTEGER NOT NULL DEFAULT 1,
  max_attempts     INTEGER NOT NULL,
  run_after        BIGINT,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  updated_at       BIGINT NOT NULL,
  paused_ms        BIGINT NOT NULL DEFAULT 0,
  seq              INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  milestones       JSONB NOT NULL DEFAULT '[]'
);

-- Keyset pagination for both sort orders (id breaks ties).
CREATE INDEX jobs_by_created ON jobs (created_at, id);
CREATE INDEX jobs_by_updated ON jobs (updated_at, id);
CREATE INDEX jobs_by_owner ON jobs (owner, created_at, id);
-- Children of a batch: roll-up (childSummary) and batch control.
CREATE INDEX jobs_by_parent ON jobs (parent_id, created_at, id);
-- claim (FOR UPDATE SKIP LOCKED): the oldest queued job of a type.
CREATE INDEX jobs_claimable ON jobs (type, created_at, id) WHERE status = 'queued';
-- requeue: running jobs by lease owner or lease expiry.
CREATE INDEX jobs_leased_by_owner ON jobs (lease_owner) WHERE status = 'running';
CREATE INDEX jobs_leased_by_expiry ON jobs (lease_expires_at) WHERE status = 'running';
-- recentDurations (ETA prior) and purgeFinished (retention).
CREATE INDEX jobs_completed_by_type ON jobs (type, finished_at) WHERE status = 'completed';
CREATE INDEX jobs_by_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- cursor is store-wide and only grows; sequences never hand a value out twice.
CREATE TABLE job_events (
  cursor BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at     BIGINT NOT NULL,
  kind   TEXT NOT NULL,
  -- the event's other fields (from, to, reason, name, ...)
  data   JSONB NOT NULL DEFAULT '{}',
  UNIQUE (job_id, seq)
);

-- The tag filter; jobs.tags keeps the list itself for reading.
CREATE TABLE job_tags (
  tag    TEXT NOT NULL,
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, job_id)
);
CREATE INDEX job_tags_by_job ON job_tags (job_id);
