-- Nothing changes here: only the embedded store moved its progress journal out of a table (the
-- SQLite migration of this number); numbers stay the same in both folders.
SELECT 1;
