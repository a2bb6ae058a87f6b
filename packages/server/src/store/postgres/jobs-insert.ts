import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { appendEvents } from './events.js';
import { JOB_COLUMN_LIST, jobToColumns } from './job-rows.js';
import { sqlState, type PgDb } from './pg-db.js';
import { insertTags } from './tags.js';

// One statement for the whole tree: foreign keys are checked at the end of the statement, so a
// child may come before its parent within it.
const INSERT_JOBS = `INSERT INTO jobs (${JOB_COLUMN_LIST}) SELECT ${JOB_COLUMN_LIST} FROM jsonb_populate_recordset(NULL::jobs, $1::jsonb)`;

/** Inserts a job tree with one `created` event each, all or nothing, in three statements whatever its size. */
export async function insertJobs(db: PgDb, jobs: readonly JobRecord[], now: number): Promise<JobEvent[]> {
  if (jobs.length === 0) return [];
  try {
    return await db.transaction(async (client) => {
      const stored = jobs.map((job) => ({ ...job, seq: job.seq + 1 }));
      await client.query(INSERT_JOBS, [JSON.stringify(stored.map(jobToColumns))]);
      await insertTags(db, client, stored);
      return appendEvents(db, client, stored.map((job) => ({ jobId: job.id, seq: job.seq, at: now, event: { kind: 'created' } })));
    });
  } catch (error) {
    throw insertError(error, jobs);
  }
}

function insertError(error: unknown, jobs: readonly JobRecord[]): unknown {
  const state = sqlState(error);
  if (state === '23505') {
    const id = /\(id\)=\((.*)\)/.exec((error as { detail?: string }).detail ?? '')?.[1] ?? duplicateIn(jobs) ?? jobs[0]!.id;
    return new HeadwayError('CONFLICT', `job ${id} already exists; give the new job another id`);
  }
  if (state === '23503') {
    const ids = new Set(jobs.map((job) => job.id));
    const orphan = jobs.find((job) => job.parentId !== null && !ids.has(job.parentId)) ?? jobs[0]!;
    return new HeadwayError('JOB_NOT_FOUND', `parent job ${orphan.parentId} of job ${orphan.id} does not exist; create the parent first`);
  }
  return error;
}

function duplicateIn(jobs: readonly JobRecord[]): string | undefined {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.id)) return job.id;
    seen.add(job.id);
  }
  return undefined;
}
