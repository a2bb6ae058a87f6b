-- Nothing changes here: only the embedded store replaced a trigger with code (the SQLite
-- migration of this number); numbers stay the same in both folders.
SELECT 1;
