-- The key of the updatedAt listings: when the job last showed activity, to within five seconds.
-- Progress sets updated_at at every flush; indexing it ruled out HOT updates, so every flush
-- rewrote an entry in all nine indexes per job (and bloated them: at 10,000 reports/s over 1,000
-- jobs the indexes grew from 4.5 to 9 MB in 20 s). active_at moves with every durable change and
-- with progress only once per five seconds, so most progress flushes are HOT updates.
ALTER TABLE jobs ADD COLUMN active_at BIGINT;
UPDATE jobs SET active_at = updated_at;
ALTER TABLE jobs ALTER COLUMN active_at SET NOT NULL;
DROP INDEX jobs_by_updated;
CREATE INDEX jobs_by_activity ON jobs (active_at, id);
