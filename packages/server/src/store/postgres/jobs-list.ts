import type { JobPage, JobQuery } from '../store.js';
import { assertListLimit, decodeListCursor, encodeListCursor, sortSpecOf } from '../list-cursor.js';
import { finishedTextCandidates, finishedTextPattern } from './finished-text-search.js';
import { rowToJob } from './job-rows.js';
import type { PgDb } from './pg-db.js';

/**
 * One page of jobs with keyset pagination on (sort value, id), like the SQLite store. Conditions
 * are fixed fragments; values are always bound parameters ($n numbered as they are added).
 */
export async function listJobs(db: PgDb, query: JobQuery): Promise<JobPage> {
  assertListLimit(query.limit);
  const spec = sortSpecOf(query.sort);
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (query.statuses && query.statuses.length > 0) where.push(`status = ANY(${bind(query.statuses)}::text[])`);
  if (query.type !== undefined) where.push(`type = ${bind(query.type)}`);
  if (query.owner !== undefined) where.push(`owner = ${bind(query.owner)}`);
  if (query.tag !== undefined) where.push(`id IN (SELECT job_id FROM job_tags WHERE tag = ${bind(query.tag)})`);
  if (query.parentId === null) where.push('parent_id IS NULL');
  else if (query.parentId !== undefined) where.push(`parent_id = ${bind(query.parentId)}`);
  if (query.text) {
    const lowered = query.text.toLowerCase();
    const pattern = await finishedTextPattern(db, lowered);
    if (pattern !== null) where.push(finishedTextCandidates(bind(pattern)));
    // strpos takes % and _ literally (LIKE would not). headway_fold (migration 0008) lowercases as
    // JS does where ICU exists; folding the needle too keeps both sides alike where it does not.
    const needle = `headway_fold(${bind(lowered)})`;
    where.push(`(strpos(headway_fold(title), ${needle}) > 0 OR strpos(headway_fold(message), ${needle}) > 0 OR strpos(headway_fold(error->>'message'), ${needle}) > 0)`);
  }
  if (query.createdFrom !== undefined) where.push(`created_at >= ${bind(query.createdFrom)}`);
  if (query.createdTo !== undefined) where.push(`created_at <= ${bind(query.createdTo)}`);
  if (query.cursor) {
    const after = decodeListCursor(query.cursor, spec);
    where.push(`(${spec.column}, id) ${spec.descending ? '<' : '>'} (${bind(after.value)}, ${bind(after.id)})`);
  }
  const direction = spec.descending ? 'DESC' : 'ASC';
  // ORDER BY and the cursor condition compare ids under the same (database) collation, and the
  // indexes on (created_at, id) / (active_at, id) serve both.
  const sql =
    `SELECT * FROM jobs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
    ` ORDER BY ${spec.column} ${direction}, id ${direction} LIMIT ${bind(query.limit + 1)}`;
  const rows = await db.all(sql, params);
  const items = rows.slice(0, query.limit).map(rowToJob);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeListCursor(spec, last) : null };
}
