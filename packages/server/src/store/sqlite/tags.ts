import type { SqliteDb } from './sqlite-db.js';

/** Keeps job_tags (what the tag filter reads) equal to the job's tag list. */
export function replaceTags(db: SqliteDb, jobId: string, tags: readonly string[] | null | undefined): void {
  db.run('DELETE FROM job_tags WHERE job_id = ?', jobId);
  for (const tag of new Set(tags ?? [])) db.run('INSERT INTO job_tags (tag, job_id) VALUES (?, ?)', tag, jobId);
}
