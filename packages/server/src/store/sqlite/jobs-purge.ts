import { NOT_PENDING } from './notifications/purge.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * The oldest `limit` top-level jobs finished before the cutoff, and everything below them. The
 * unary `+` keeps SQLite off jobs_by_parent (every top-level job, then a sort: 300,000 rows per
 * chunk); jobs_by_finished gives them oldest first and stops at the limit.
 */
const DOOMED = `WITH RECURSIVE doomed (id) AS (
  SELECT id FROM (SELECT id FROM jobs
                   WHERE +parent_id IS NULL AND +status IN ('completed', 'failed', 'cancelled') AND finished_at < ?
                   ORDER BY finished_at LIMIT ?)
  UNION ALL
  SELECT child.id FROM jobs child JOIN doomed ON child.parent_id = doomed.id
)`;

/** The purged ids out of every muted list that holds one, the others kept in their order (json() keeps the array an array). */
const UNMUTE = `WITH purged (id) AS (SELECT value FROM json_each(?))
UPDATE notification_preferences
   SET prefs = json_set(prefs, '$.mutedJobs', json((SELECT json_group_array(value) FROM json_each(prefs, '$.mutedJobs') WHERE value NOT IN purged)))
 WHERE EXISTS (SELECT 1 FROM json_each(prefs, '$.mutedJobs') WHERE value IN purged)`;

/**
 * Deletes up to `limit` top-level jobs that finished before `before`, each with its whole tree
 * (a batch goes as one; a finished child of a live batch stays, so the batch's counts stay true).
 * Events and tags go with their jobs (ON DELETE CASCADE), and so do the jobs' watches, their
 * notifications that are no longer waiting to be sent and their ids in users' muted jobs (which
 * would otherwise fill up to MAX_MUTED_JOBS with jobs that are gone). Returns how many jobs were deleted.
 */
export function purgeFinished(db: SqliteDb, before: number, limit: number): number {
  return db.write(() => {
    // The ids first: the cascade from a parent removes its children before the DELETE reaches
    // them, and a second walk of the tree after the first DELETE would find other jobs.
    const ids = db.all<{ id: string }>(`${DOOMED} SELECT id FROM doomed`, before, limit).map((row) => row.id);
    if (ids.length === 0) return 0;
    const list = JSON.stringify(ids);
    db.run('DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?))', list);
    db.run(`DELETE FROM notifications WHERE job_id IN (SELECT value FROM json_each(?)) AND ${NOT_PENDING}`, list);
    db.run("DELETE FROM notification_watches WHERE target_kind = 'job' AND target IN (SELECT value FROM json_each(?))", list);
    db.run(UNMUTE, list);
    return ids.length;
  });
}
