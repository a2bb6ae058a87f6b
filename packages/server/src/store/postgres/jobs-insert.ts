import { HeadwayError, type JobEvent } from '@headway/protocol';
import type { JobRecord } from '../../model/job-record.js';
import { IdempotencyKeyTaken, type IdempotencyKeyRow } from '../store.js';
import { appendEventsCtes, eventRowsParam, withCursors, type NewEvent } from './events.js';
import { JOB_COLUMN_LIST, jobToColumns } from './job-rows.js';
import { sqlState, type PgDb } from './pg-db.js';

/*
 * The whole tree, its tags and its `created` events in one statement (one round trip, atomic
 * without BEGIN/COMMIT). Foreign keys are checked at the end of the statement, so children may
 * precede their parent and events may name jobs inserted beside them.
 */
const INSERT_TREE = `WITH inserted AS (
    INSERT INTO jobs (${JOB_COLUMN_LIST}) SELECT ${JOB_COLUMN_LIST} FROM jsonb_populate_recordset(NULL::jobs, $1::jsonb)
  ), tagged AS (
    INSERT INTO job_tags (tag, job_id) SELECT * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING
  ), keyed AS (
    INSERT INTO job_idempotency_keys (scoped_key, job_id, request_hash) SELECT * FROM unnest($6::text[], $7::text[], $8::text[])
  ), ${appendEventsCtes('$4', '$5', '(SELECT 1) AS always')}
  SELECT cursor, job_id, seq FROM appended`;

/** Inserts job trees with one `created` event each and the keys they were created under, all or nothing. */
export async function insertJobs(db: PgDb, jobs: readonly JobRecord[], now: number, keys: readonly IdempotencyKeyRow[] = []): Promise<JobEvent[]> {
  if (jobs.length === 0) return [];
  const stored = jobs.map((job) => ({ ...job, seq: job.seq + 1 }));
  const tags: string[] = [];
  const tagged: string[] = [];
  for (const job of stored) {
    for (const tag of new Set(job.tags)) {
      tags.push(tag);
      tagged.push(job.id);
    }
  }
  const events: NewEvent[] = stored.map((job) => ({ jobId: job.id, seq: job.seq, at: now, event: { kind: 'created' } }));
  try {
    const rows = await db.all<{ cursor: number; job_id: string; seq: number }>(INSERT_TREE, [
      JSON.stringify(stored.map(jobToColumns)),
      tags,
      tagged,
      eventRowsParam(events),
      db.options.schema,
      keys.map((key) => key.scopedKey),
      keys.map((key) => key.jobId),
      keys.map((key) => key.requestHash),
    ]);
    return withCursors(events, rows);
  } catch (error) {
    throw insertError(error, jobs, keys);
  }
}

export async function findIdempotencyKeys(db: PgDb, scopedKeys: readonly string[]): Promise<IdempotencyKeyRow[]> {
  const rows = await db.all<{ scoped_key: string; job_id: string; request_hash: string }>(
    'SELECT scoped_key, job_id, request_hash FROM job_idempotency_keys WHERE scoped_key = ANY($1::text[])',
    [scopedKeys],
  );
  return rows.map((row) => ({ scopedKey: row.scoped_key, jobId: row.job_id, requestHash: row.request_hash }));
}

function insertError(error: unknown, jobs: readonly JobRecord[], keys: readonly IdempotencyKeyRow[]): unknown {
  const state = sqlState(error);
  if (state === '23505' && (error as { constraint?: string }).constraint === 'job_idempotency_keys_pkey') {
    const detail = (error as { detail?: string }).detail ?? '';
    return new IdempotencyKeyTaken((keys.find((key) => detail.includes(key.scopedKey)) ?? keys[0]!).scopedKey);
  }
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
