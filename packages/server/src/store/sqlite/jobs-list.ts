import type { JobPage, JobQuery } from '../store.js';
import { assertListLimit, decodeListCursor, encodeListCursor, sortSpecOf } from '../list-cursor.js';
import { TEXT_CANDIDATES } from './finished-text-index.js';
import { rowToJob, type Row } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

/** A list query as SQL, to run on the main connection or the reader thread. */
export interface ListStatement {
  sql: string;
  params: unknown[];
}

/**
 * One page of jobs with keyset pagination: the cursor is the last item's (sort value, id), so
 * jobs inserted meanwhile never shift or repeat items.
 */
export function listJobs(db: SqliteDb, query: JobQuery): JobPage {
  const { sql, params } = listStatement(query);
  return pageOf(query, db.all<Row>(sql, ...params));
}

/**
 * Conditions are fixed fragments; values are always bound parameters. One row more than the page,
 * to know whether another follows. `indexedPhrase` (see indexedPhraseFor) narrows a text search
 * to the jobs the finished-text index finds, plus the unfinished ones.
 */
export function listStatement(query: JobQuery, indexedPhrase: string | null = null): ListStatement {
  assertListLimit(query.limit);
  const spec = sortSpecOf(query.sort);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (query.statuses && query.statuses.length > 0) add('status IN (SELECT value FROM json_each(?))', JSON.stringify(query.statuses));
  if (query.type !== undefined) add('type = ?', query.type);
  if (query.owner !== undefined) add('owner = ?', query.owner);
  if (query.tag !== undefined) add('id IN (SELECT job_id FROM job_tags WHERE tag = ?)', query.tag);
  if (query.parentId === null) add('parent_id IS NULL');
  else if (query.parentId !== undefined) add('parent_id = ?', query.parentId);
  if (query.text) {
    // headway_lower folds Unicode (SQLite's lower() folds ASCII only); instr takes % and _ literally.
    const needle = query.text.toLowerCase();
    if (indexedPhrase) add(TEXT_CANDIDATES, indexedPhrase);
    add(
      "(instr(headway_lower(title), ?) > 0 OR instr(headway_lower(message), ?) > 0 OR instr(headway_lower(json_extract(error, '$.message')), ?) > 0)",
      needle,
      needle,
      needle,
    );
  }
  if (query.createdFrom !== undefined) add('created_at >= ?', query.createdFrom);
  if (query.createdTo !== undefined) add('created_at <= ?', query.createdTo);
  if (query.cursor) {
    const after = decodeListCursor(query.cursor, spec);
    add(`(${spec.column}, id) ${spec.descending ? '<' : '>'} (?, ?)`, after.value, after.id);
  }
  const direction = spec.descending ? 'DESC' : 'ASC';
  const sql =
    `SELECT * FROM jobs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
    ` ORDER BY ${spec.column} ${direction}, id ${direction} LIMIT ?`;
  return { sql, params: [...params, query.limit + 1] };
}

export function pageOf(query: JobQuery, rows: Row[]): JobPage {
  const items = rows.slice(0, query.limit).map(rowToJob);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeListCursor(sortSpecOf(query.sort), last) : null };
}
