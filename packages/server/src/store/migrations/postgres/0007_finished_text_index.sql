-- The text of finished jobs (title, message, error message; lowercased), with a trigram index
-- when pg_trgm can be had, for `q` searches. Without it a search read every job: with 300,000
-- jobs kept, a word found nowhere took 0.28 s. Finished jobs only: their text no longer changes,
-- whereas a running job's message changes with every progress flush, and indexing a column of
-- jobs would also end the HOT updates those flushes rely on (see 0005). Unfinished jobs are few
-- and are still read one by one. The table only narrows a search: the exact test still decides.
-- Listing the jobs already kept and building the index took 4.9 s for 300,000 jobs here; writes to
-- jobs wait meanwhile (creating a trigger locks the table until this transaction commits).
CREATE TABLE finished_job_texts (
  job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  body   TEXT NOT NULL
);

CREATE FUNCTION headway_keep_finished_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('completed', 'failed', 'cancelled') THEN
    INSERT INTO finished_job_texts (job_id, body)
      VALUES (NEW.id, lower(concat_ws(E'\n', NEW.title, NEW.message, NEW.error->>'message')))
      ON CONFLICT (job_id) DO UPDATE SET body = EXCLUDED.body;
  ELSE
    -- A retry makes a job unfinished again: it is read one by one until it finishes once more.
    DELETE FROM finished_job_texts WHERE job_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_inserted_finished AFTER INSERT ON jobs FOR EACH ROW
  WHEN (NEW.status IN ('completed', 'failed', 'cancelled'))
  EXECUTE FUNCTION headway_keep_finished_text();

-- Progress flushes (running jobs) are skipped by the WHEN, row by row, without entering the function.
CREATE TRIGGER jobs_finished_text AFTER UPDATE OF status, title, message, error ON jobs FOR EACH ROW
  WHEN ((OLD.status IN ('completed', 'failed', 'cancelled') OR NEW.status IN ('completed', 'failed', 'cancelled'))
        AND (OLD.status, OLD.title, OLD.message, OLD.error) IS DISTINCT FROM (NEW.status, NEW.title, NEW.message, NEW.error))
  EXECUTE FUNCTION headway_keep_finished_text();

INSERT INTO finished_job_texts (job_id, body)
  SELECT id, lower(concat_ws(E'\n', title, message, error->>'message')) FROM jobs
   WHERE status IN ('completed', 'failed', 'cancelled');

-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, but a role may still lack
-- the right to create it: searches then read the table without the index (slower, same answers).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm unavailable (%): text searches read every finished job', SQLERRM;
END $$;

DO $$
DECLARE
  ops TEXT;
BEGIN
  SELECT format('%I.gin_trgm_ops', n.nspname) INTO ops
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  IF ops IS NOT NULL THEN
    EXECUTE format('CREATE INDEX finished_job_texts_trigrams ON finished_job_texts USING gin (body %s)', ops);
  END IF;
END $$;
