-- When each progress journal row was written, by the database's clock: a row older than a few
-- flush intervals belongs to a node that died and was not restarted, and a live node adopts it
-- (writes it back, guarded like a start's replay) instead of leaving it until some node starts.
-- Rows from before this migration count as old. IF NOT EXISTS: a test rolls the ledger back.
ALTER TABLE progress_journal ADD COLUMN IF NOT EXISTS written_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity';
ALTER TABLE progress_journal ALTER COLUMN written_at SET DEFAULT now();
