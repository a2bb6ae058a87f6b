/**
 * Finished-job matches above which a text search reads jobs newest first instead of taking its
 * candidates from the finished-text index (migration 0007): a word that common fills a page within
 * the first rows read, whereas taking every match and sorting them cost 0.47 s for a word in all
 * 300,000 jobs on SQLite (0.7 ms by reading).
 */
export const FEW_MATCHES = 1_000;

/** Whether a trigram index can narrow a search for `needle` (lowercased): it needs three characters. */
export function hasTrigram(needle: string): boolean {
  return [...needle].length >= 3;
}
