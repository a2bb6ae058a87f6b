import type { SqliteDb } from './sqlite-db.js';

/** Top-level jobs finished before the cutoff, and everything below them. */
const DOOMED = `WITH RECURSIVE doomed (id) AS (
  SELECT id FROM jobs
   WHERE parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled') AND finished_at < ?
  UNION ALL
  SELECT child.id FROM jobs child JOIN doomed ON child.parent_id = doomed.id
)`;

/**
 * Deletes top-level jobs that finished before `before`, each with its whole tree (a batch goes
 * as one; a finished child of a live batch stays, so the batch's counts stay true). Events and
 * tags go with their jobs (ON DELETE CASCADE). Returns how many jobs were deleted.
 */
export function purgeFinished(db: SqliteDb, before: number): number {
  return db.write(() => {
    // Counted first: the cascade from a parent removes its children before the DELETE reaches them.
    const doomed = db.get<{ n: number }>(`${DOOMED} SELECT COUNT(*) AS n FROM doomed`, before)!.n;
    if (doomed > 0) db.run(`${DOOMED} DELETE FROM jobs WHERE id IN (SELECT id FROM doomed)`, before);
    return doomed;
  });
}
