import type { PgDb, Queryable } from './pg-db.js';

/** Adds the tag rows (what the tag filter reads) of many jobs in one statement. */
export async function insertTags(db: PgDb, client: Queryable, jobs: ReadonlyArray<{ id: string; tags: readonly string[] | null | undefined }>): Promise<void> {
  const tags: string[] = [];
  const jobIds: string[] = [];
  for (const job of jobs) {
    for (const tag of new Set(job.tags ?? [])) {
      tags.push(tag);
      jobIds.push(job.id);
    }
  }
  if (tags.length === 0) return;
  await db.run('INSERT INTO job_tags (tag, job_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [tags, jobIds], client);
}

/** Keeps job_tags equal to the job's new tag list. */
export async function replaceTags(db: PgDb, client: Queryable, jobId: string, tags: readonly string[] | null | undefined): Promise<void> {
  await db.run('DELETE FROM job_tags WHERE job_id = $1', [jobId], client);
  await insertTags(db, client, [{ id: jobId, tags }]);
}
