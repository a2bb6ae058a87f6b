-- When the newest report a row's progress holds was made (the report's updatedAt). Several nodes
-- flush the progress of one job, each on its own interval: a flush holding an older report than
-- this leaves the row's progress as it is, so the last flush no longer wins over a newer report.
-- Not indexed: progress flushes stay HOT updates. IF NOT EXISTS: a test rolls the ledger back and migrates again.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS reported_at BIGINT NOT NULL DEFAULT 0;
