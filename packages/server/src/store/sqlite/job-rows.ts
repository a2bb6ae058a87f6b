import type { JobRecord } from '../../model/job-record.js';
import { columnOf, isJsonField, JOB_FIELDS, type JobField } from '../job-columns.js';

export type Row = Record<string, unknown>;

/** A JobRecord value as SQLite stores it: JSON text for structured fields, NULL for null. */
export function encodeJobValue(field: JobField, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return isJsonField(field) ? JSON.stringify(value) : value;
}

export function rowToJob(row: Row): JobRecord {
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) {
    const value = row[columnOf(field)];
    job[field] = value === null || value === undefined ? null : isJsonField(field) ? JSON.parse(value as string) : value;
  }
  return job as unknown as JobRecord;
}
