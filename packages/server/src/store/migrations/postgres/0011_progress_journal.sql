-- Progress a worker was answered for before the flusher wrote it to its job: one row per group
-- commit, replayed at start after a crash (see the SQLite migration of the same number). IF NOT
-- EXISTS: tests of earlier migrations roll the ledger back and migrate again.
CREATE TABLE IF NOT EXISTS progress_journal (
  id       BIGSERIAL PRIMARY KEY,
  node_id  TEXT NOT NULL,
  patches  TEXT NOT NULL
);
