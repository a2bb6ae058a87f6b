-- The Idempotency-Key of a POST /v1/jobs, scoped to the caller that sent it, kept as long as the
-- job it created: the same key with the same body answers that job again instead of creating
-- another (a client resending after a lost answer). Written in the job's own statement.
-- IF NOT EXISTS: a test rolls the ledger back and migrates again.
CREATE TABLE IF NOT EXISTS job_idempotency_keys (
  scoped_key   TEXT PRIMARY KEY,
  job_id       TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  request_hash TEXT NOT NULL
);
-- The cascade from a purged job finds its key by job.
CREATE INDEX IF NOT EXISTS job_idempotency_keys_by_job ON job_idempotency_keys (job_id);
