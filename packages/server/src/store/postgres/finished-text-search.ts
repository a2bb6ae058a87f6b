import { FEW_MATCHES, hasTrigram } from '../text-search.js';
import type { PgDb } from './pg-db.js';

/**
 * The condition that takes a text search's candidates from finished_job_texts (migration 0007):
 * the unfinished jobs and the finished ones whose text matches, through the trigram index when the
 * database has one. `pattern` is bound by the caller.
 */
export function finishedTextCandidates(pattern: string): string {
  return `id IN (SELECT id FROM jobs WHERE status IN ('queued', 'running', 'paused') UNION ALL SELECT job_id FROM finished_job_texts WHERE body LIKE headway_fold(${pattern}))`;
}

/**
 * The LIKE pattern for finishedTextCandidates, or null when the finished jobs matching `needle`
 * (lowercased) are many or it has no trigram: the search then reads jobs newest first. Either way
 * the exact test decides.
 */
export async function finishedTextPattern(db: PgDb, needle: string): Promise<string | null> {
  if (!hasTrigram(needle)) return null;
  const pattern = `%${escapeLike(needle)}%`;
  const [probe] = await db.all<{ matches: number }>(
    'SELECT count(*)::int AS matches FROM (SELECT 1 FROM finished_job_texts WHERE body LIKE headway_fold($1) LIMIT $2) found',
    [pattern, FEW_MATCHES + 1],
  );
  return (probe?.matches ?? 0) <= FEW_MATCHES ? pattern : null;
}

/** `text` as a LIKE pattern matching itself only (backslash is LIKE's default escape). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
