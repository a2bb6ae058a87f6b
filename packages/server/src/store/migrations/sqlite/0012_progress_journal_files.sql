-- The embedded store journals answered progress in files beside the database instead (see
-- FileJournal): a row per group commit made SQLite write each byte twice and delete it again.
DROP TABLE IF EXISTS progress_journal;
