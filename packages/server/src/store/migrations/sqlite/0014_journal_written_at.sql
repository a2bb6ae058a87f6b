-- Nothing changes here: PostgreSQL's progress journal records when each row was written (the
-- migration of this number there); the embedded store's journal is files of one process.
SELECT 1;
