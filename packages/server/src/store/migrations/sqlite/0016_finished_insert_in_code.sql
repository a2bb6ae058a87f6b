-- A row trigger costs SQLite a sub-program call for every row the statement writes, even where its
-- WHEN is false: jobs_inserted_finished (0007) doubled the cost of inserting a job (10,000 children:
-- 420 ms, 200 without it), though jobs are almost never inserted finished. The store now lists
-- a job inserted finished in finished_texts itself, in the insert's transaction (jobs-insert.ts).
DROP TRIGGER IF EXISTS jobs_inserted_finished;
