-- A trigram index of the text of finished jobs (title, message, error message), for `q` searches.
-- Without it a search read every job: with 300,000 jobs kept, a word found nowhere took 0.3–0.6 s.
-- Finished jobs only: their text no longer changes, whereas a running job's message changes with
-- every progress flush (10,000 index updates a second at full rate). Unfinished jobs are few and
-- are still read one by one. The index only narrows the search: the exact test still decides.
--
-- finished_texts lists the finished jobs; its INTEGER PRIMARY KEY n is the index's rowid (stable
-- across VACUUM, which may renumber the implicit rowids of jobs). A job that finishes is listed
-- with indexed = 0 and indexed in batches later (indexFinishedTexts): one FTS5 row written per
-- transaction cost 80–100 µs, and halved how many jobs a second could complete (9,000 → 4,400);
-- in batches of 500 a row costs 8 µs. Until then, searches read it one by one like a running job.
-- Deleting a job (retention, cascades) deletes its finished_texts row, which takes its index
-- entry with it.
CREATE TABLE finished_texts (
  n       INTEGER PRIMARY KEY,
  job_id  TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
  indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX finished_texts_unindexed ON finished_texts (n) WHERE indexed = 0;

CREATE VIRTUAL TABLE finished_text_index USING fts5 (
  title, message, error, content = '', contentless_delete = 1, tokenize = 'trigram'
);
-- FTS5 rewrites a whole segment once a tenth of its rows are deleted: purging 150,000 expired jobs
-- then held the writer up to 1.5 s at a time. Off; retention merges the index in small steps instead
-- (RetentionSweeper, tidyFinishedTextIndex).
INSERT INTO finished_text_index (finished_text_index, rank) VALUES ('deletemerge', 0);

CREATE TRIGGER finished_texts_deleted AFTER DELETE ON finished_texts WHEN old.indexed = 1
BEGIN
  DELETE FROM finished_text_index WHERE rowid = old.n;
END;

CREATE TRIGGER jobs_finished AFTER UPDATE OF status ON jobs
  WHEN new.status IN ('completed', 'failed', 'cancelled') AND old.status NOT IN ('completed', 'failed', 'cancelled')
BEGIN
  INSERT INTO finished_texts (job_id) VALUES (new.id);
END;

CREATE TRIGGER jobs_inserted_finished AFTER INSERT ON jobs
  WHEN new.status IN ('completed', 'failed', 'cancelled')
BEGIN
  INSERT INTO finished_texts (job_id) VALUES (new.id);
END;

-- A retry makes a job unfinished again: it is read one by one until it finishes once more.
CREATE TRIGGER jobs_reopened AFTER UPDATE OF status ON jobs
  WHEN old.status IN ('completed', 'failed', 'cancelled') AND new.status NOT IN ('completed', 'failed', 'cancelled')
BEGIN
  DELETE FROM finished_texts WHERE job_id = old.id;
END;

-- A finished job's text changed: listed again, to be indexed anew.
CREATE TRIGGER jobs_finished_text_changed AFTER UPDATE OF title, message, error ON jobs
  WHEN old.status IN ('completed', 'failed', 'cancelled') AND new.status IN ('completed', 'failed', 'cancelled')
   AND (old.title IS NOT new.title OR old.message IS NOT new.message OR old.error IS NOT new.error)
BEGIN
  DELETE FROM finished_texts WHERE job_id = old.id;
  INSERT INTO finished_texts (job_id) VALUES (new.id);
END;

-- Jobs finished before this migration: indexed now, once (2.2 s for 300,000 jobs here).
INSERT INTO finished_texts (job_id, indexed)
  SELECT id, 1 FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') ORDER BY created_at, id;
INSERT INTO finished_text_index (rowid, title, message, error)
  SELECT t.n, j.title, j.message, json_extract(j.error, '$.message') FROM finished_texts t JOIN jobs j ON j.id = t.job_id;
