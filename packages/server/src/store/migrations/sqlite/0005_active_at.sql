-- The key of the updatedAt listings: when the job last showed activity, to within five seconds.
-- Progress sets updated_at at every flush; indexing it made every flush rewrite an index entry
-- per job (and on PostgreSQL ruled out HOT updates, so all nine indexes). active_at moves with
-- every durable change and with progress only once per five seconds.
ALTER TABLE jobs ADD COLUMN active_at INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET active_at = updated_at;
DROP INDEX jobs_by_updated;
CREATE INDEX jobs_by_activity ON jobs (active_at, id);
