import type { SqliteDb } from './sqlite-db.js';

/** Keeps job_tags (what the tag filter reads) equal to the job's tag list. */
export function replaceTags(db: SqliteDb, jobId: string, tags: readonly string[] | null | undefined): void {
  db.run('DELETE FROM job_tags WHERE job_id = ?', jobId);
  insertTags(db, jobId, tags);
}

/** Lists a new job's tags (it has none yet: nothing to delete, a statement per job saved on a batch). */
export function insertTags(db: SqliteDb, jobId: string, tags: readonly string[] | null | undefined): void {
  for (const tag of new Set(tags ?? [])) db.run('INSERT INTO job_tags (tag, job_id) VALUES (?, ?)', tag, jobId);
}
