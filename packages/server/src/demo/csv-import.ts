import type { JobContext } from '../runtime/runtime.js';
import { jitter, pace } from './pace.js';

const ROWS = 200_000;
const CHUNK = 2_000;

/** A 200k-row CSV import that checkpoints every chunk, so a resume continues at the next row. */
export async function csvImport(ctx: JobContext<{ row: number; rejected: number }>): Promise<unknown> {
  let row = ctx.saved?.row ?? 0;
  let rejected = ctx.saved?.rejected ?? 0;
  ctx.step(row === 0 ? 'Parse' : 'Import', row === 0 ? 'Reading header' : `Continuing at row ${row + 1}`);
  while (row < ROWS) {
    await pace(jitter(row > 120_000 ? 700 : 350), ctx.signal); // the API slows down late in the file
    row = Math.min(ROWS, row + CHUNK);
    rejected += Math.random() < 0.2 ? 1 : 0;
    ctx.report({ step: 'Import', done: row, total: ROWS, unit: 'rows', metrics: { rejected } });
    await ctx.checkpoint({ row, rejected });
  }
  ctx.step('Verify', 'Checking row counts');
  await pace(1_000, ctx.signal);
  return { imported: ROWS - rejected, rejected };
}
