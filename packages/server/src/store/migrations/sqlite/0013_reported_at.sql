-- When the newest report a row's progress holds was made (the report's updatedAt). Several nodes
-- flush the progress of one job, each on its own interval: a flush holding an older report than
-- this leaves the row's progress as it is, so the last flush no longer wins over a newer report.
ALTER TABLE jobs ADD COLUMN reported_at INTEGER NOT NULL DEFAULT 0;
