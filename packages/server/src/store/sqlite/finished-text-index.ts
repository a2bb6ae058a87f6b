import { FEW_MATCHES, hasTrigram } from '../text-search.js';
import type { Scan } from './reader-thread.js';
import type { SqliteDb } from './sqlite-db.js';

/** The combining dot above: JS lowercases İ to i + U+0307, FTS5 folds it to a plain i. */
const COMBINING_DOT_ABOVE = '\u0307';

/**
 * The FTS5 query matching `needle` as a substring (migration 0007's trigram index), or null when
 * the index cannot answer for it: a needle under three characters has no trigram, and one with
 * U+0307 could miss jobs the exact test finds (checked over every character up to U+2FFFF: that is
 * the only one where JS's lowercase and FTS5's case folding disagree).
 */
export function trigramPhrase(needle: string): string | null {
  if (!hasTrigram(needle) || needle.includes(COMBINING_DOT_ABOVE)) return null;
  return `"${needle.replaceAll('"', '""')}"`;
}

/**
 * Jobs whose text may contain the needle: every unfinished job, the finished ones not indexed yet,
 * and those the index finds.
 */
export const TEXT_CANDIDATES =
  "(status IN ('queued', 'running', 'paused')" +
  ' OR id IN (SELECT job_id FROM finished_texts WHERE indexed = 0)' +
  ' OR id IN (SELECT job_id FROM finished_texts WHERE n IN (SELECT rowid FROM finished_text_index WHERE finished_text_index MATCH ?)))';

/**
 * Whether a search for `needle` should take its candidates from the index: answers the FTS5
 * phrase when it can and the finished jobs matching it are few, null to read jobs one by one.
 */
export async function indexedPhraseFor(scan: Scan, needle: string): Promise<string | null> {
  const phrase = trigramPhrase(needle);
  if (!phrase) return null;
  const [probe] = await scan<{ matches: number }>(
    'SELECT count(*) AS matches FROM (SELECT rowid FROM finished_text_index WHERE finished_text_index MATCH ? LIMIT ?)',
    [phrase, FEW_MATCHES + 1],
  );
  return (probe?.matches ?? 0) <= FEW_MATCHES ? phrase : null;
}

/**
 * Indexes up to `limit` jobs that finished since the last call, oldest first, in one transaction
 * (one FTS5 segment for all of them); answers how many.
 */
export function indexFinishedTexts(db: SqliteDb, limit: number): number {
  return db.write(() => {
    const pending = db.all<{ n: number }>('SELECT n FROM finished_texts WHERE indexed = 0 ORDER BY n LIMIT ?', limit);
    if (pending.length === 0) return 0;
    const ns = JSON.stringify(pending.map((row) => row.n));
    db.run(
      "INSERT INTO finished_text_index (rowid, title, message, error) SELECT t.n, j.title, j.message, json_extract(j.error, '$.message') " +
        'FROM finished_texts t JOIN jobs j ON j.id = t.job_id WHERE t.n IN (SELECT value FROM json_each(?))',
      ns,
    );
    db.run('UPDATE finished_texts SET indexed = 1 WHERE n IN (SELECT value FROM json_each(?))', ns);
    return pending.length;
  });
}

/**
 * Pages one tidying step may write. Migration 0007 turns off FTS5's own rewrite of a segment once
 * a tenth of it is deleted: purging 150,000 jobs in chunks then held the writer up to 1.5 s at
 * a time (12 s in all), against at most 8 ms without it (1.5 s). Merging segments in steps of this
 * size afterwards takes back the space (5,600 pages again after 10,800): 70 steps, 0.4 s, the
 * longest 18 ms.
 */
const TIDY_PAGES = 50;

/** One step of merging the index's segments (dropping what purges deleted); answers whether more remains. */
export function tidyFinishedTextIndex(db: SqliteDb): boolean {
  return db.write(() => {
    const changes = () => db.get<{ changes: number }>('SELECT total_changes() AS changes')!.changes;
    const before = changes();
    // A negative page count merges segments even where fewer than 'usermerge' share a level.
    db.run("INSERT INTO finished_text_index (finished_text_index, rank) VALUES ('merge', ?)", -TIDY_PAGES);
    // FTS5's documented test: a step that found nothing to merge changes fewer than two rows.
    return changes() - before >= 2;
  });
}
