import type { JobRecord } from '../../model/job-record.js';
import { columnOf, JOB_FIELDS } from '../job-columns.js';
import type { Row } from './pg-db.js';

/** Every jobs column, in JOB_FIELDS order, for inserts and reads. */
export const JOB_COLUMN_LIST = JOB_FIELDS.map(columnOf).join(', ');

/**
 * A JobRecord as a JSON object keyed by column, for jsonb_populate_recordset: JSONB columns take
 * the nested value as is, and a null (or absent) value becomes SQL NULL.
 */
export function jobToColumns(job: JobRecord): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) columns[columnOf(field)] = job[field] ?? null;
  return columns;
}

/** pg has already parsed JSONB and (see pg-db.ts) BIGINT; only the names change. */
export function rowToJob(row: Row): JobRecord {
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) job[field] = row[columnOf(field)] ?? null;
  return job as unknown as JobRecord;
}
