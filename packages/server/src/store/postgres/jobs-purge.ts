import { NOT_PENDING } from './notifications/purge.js';
import type { PgDb } from './pg-db.js';

/**
 * Deletes up to `limit` top-level jobs that finished before `before` (the oldest first), each with its whole tree (a finished
 * child of a live batch stays). Events and tags go with their jobs (ON DELETE CASCADE), and so do
 * the jobs' watches, their notifications no longer waiting to be sent and their ids in users' muted
 * jobs (which would otherwise fill up to MAX_MUTED_JOBS with jobs that are gone). The
 * tree is counted in the same statement: the cascade removes children before the DELETE would.
 */
const PURGE = `WITH RECURSIVE doomed (id) AS (
    (SELECT id FROM jobs
      WHERE parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled') AND finished_at < $1
      ORDER BY finished_at LIMIT $2)
    UNION ALL
    SELECT child.id FROM jobs child JOIN doomed ON child.parent_id = doomed.id
  ), deleted AS (
    DELETE FROM jobs WHERE id IN (SELECT id FROM doomed) RETURNING id
  ), notes AS (
    DELETE FROM notifications WHERE job_id IN (SELECT id FROM doomed) AND ${NOT_PENDING}
  ), watches AS (
    DELETE FROM notification_watches WHERE target_kind = 'job' AND target IN (SELECT id FROM doomed)
  ), unmuted AS (
    UPDATE notification_preferences
       SET prefs = jsonb_set(prefs, '{mutedJobs}', (SELECT COALESCE(jsonb_agg(muted.id ORDER BY muted.n), '[]') FROM jsonb_array_elements_text(prefs->'mutedJobs') WITH ORDINALITY AS muted (id, n) WHERE muted.id NOT IN (SELECT id FROM doomed)))
     WHERE prefs->'mutedJobs' ?| ARRAY(SELECT id FROM doomed)
  )
  SELECT COUNT(*) AS n FROM doomed`;

export async function purgeFinished(db: PgDb, before: number, limit: number): Promise<number> {
  return (await db.one<{ n: number }>(PURGE, [before, limit]))!.n;
}
