-- Progress a worker was answered for before the flusher wrote it to its job: one row per group
-- commit, replayed at start after a crash. AUTOINCREMENT: a flush drops the rows up to an id it
-- read before it began, so an id must never be handed out again once its row is gone. IF NOT
-- EXISTS: tests of earlier migrations roll the ledger back and migrate again.
CREATE TABLE IF NOT EXISTS progress_journal (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  node_id  TEXT NOT NULL,
  patches  TEXT NOT NULL
);
