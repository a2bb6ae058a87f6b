import type { ProgressPatch } from '../store.js';
import { columnOf } from '../job-columns.js';
import { progressFieldsOf } from '../progress-fields.js';
import { encodeJobValue } from './job-rows.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * Writes coalesced progress for many jobs in one transaction (one fsync-free WAL commit), which is
 * what lets tens of thousands of ticks per second cost a few transactions. Never touches status
 * or seq; a job deleted meanwhile is skipped.
 */
export function saveProgress(db: SqliteDb, patches: readonly ProgressPatch[]): void {
  if (patches.length === 0) return;
  db.write(() => {
    for (const patch of patches) {
      const fields = progressFieldsOf(patch as Record<string, unknown>);
      if (fields.length === 0) continue;
      const sets = fields.map((field) => `${columnOf(field)} = ?`).join(', ');
      const values = fields.map((field) => encodeJobValue(field, (patch as Record<string, unknown>)[field]));
      db.run(`UPDATE jobs SET ${sets} WHERE id = ?`, ...values, patch.id);
    }
  });
}
