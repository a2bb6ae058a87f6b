-- Listings filtered by status (the dashboard's "running", "failed") and the active counts per type.
-- Without it both scanned the table: with 300,000 jobs in the 30 days kept, listing the 300
-- running ones took 25 ms and counting active jobs per type 75 ms on SQLite, on the event loop.
-- Status changes only with transitions, never with progress, so flushes do not touch it.
CREATE INDEX jobs_by_status ON jobs (status, created_at, id);
