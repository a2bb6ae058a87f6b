import type Database from 'better-sqlite3';

/**
 * Headway's own SQL functions, on every connection to a database: the main one, and the reader
 * thread's, which is given this function's source text. Keep it self-contained (no imports, no
 * outside names) for that reason.
 */
export function registerSqlFunctions(db: Database.Database): void {
  // SQLite's lower() folds ASCII only; the text filter needs Unicode case folding.
  db.function('headway_lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : null));
  // The nearest-rank p50 and p95 of sorted numbers: the smallest value whose rank reaches p × n.
  const p50AndP95 = (sorted: number[]) => [0.5, 0.95].map((p) => sorted[Math.max(Math.ceil(p * sorted.length), 1) - 1]);
  // p50 and p95 of a group's numbers as JSON `[p50, p95]` (NULL for none). One pass and one sort in
  // V8; ROW_NUMBER windows cost SQLite two sorts of every row in the range (1.2 s for 300,000 jobs against 0.5 s).
  db.aggregate('headway_p50_p95', {
    start: () => [] as number[],
    step: (values: number[], value: unknown) => {
      if (typeof value === 'number') values.push(value);
      return values;
    },
    result: (values: number[]) => (values.length === 0 ? null : JSON.stringify(p50AndP95(values.sort((a, b) => a - b)))),
  });
  // Per step name over a group's `steps` JSON: the runs that started and ended, as JSON
  // `[{name, position, runs, total, p50, p95}]` ordered by position then name. Parsing each job's
  // steps in V8 costs a fraction of json_each with four json_extract calls per step.
  db.aggregate('headway_step_stats', {
    start: () => new Map<string, { position: number; durations: number[] }>(),
    step: (byName: Map<string, { position: number; durations: number[] }>, stepsJson: unknown) => {
      if (typeof stepsJson !== 'string') return byName;
      const steps = JSON.parse(stepsJson) as Array<{ name: string; startedAt?: number | null; endedAt?: number | null }>;
      steps.forEach((step, position) => {
        if (typeof step.startedAt !== 'number' || typeof step.endedAt !== 'number') return;
        const entry = byName.get(step.name) ?? { position, durations: [] };
        entry.position = Math.min(entry.position, position);
        entry.durations.push(Math.max(step.endedAt - step.startedAt, 0));
        byName.set(step.name, entry);
      });
      return byName;
    },
    result: (byName: Map<string, { position: number; durations: number[] }>) => {
      const stats = [...byName].map(([name, { position, durations }]) => {
        const [p50, p95] = p50AndP95(durations.sort((a, b) => a - b));
        return { name, position, runs: durations.length, total: durations.reduce((sum, d) => sum + d, 0), p50, p95 };
      });
      stats.sort((a, b) => a.position - b.position || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return JSON.stringify(stats);
    },
  });
}

/** The p50 and p95 of a `headway_p50_p95` result. */
export function p50AndP95Of(json: string | null): [number | null, number | null] {
  return json === null ? [null, null] : (JSON.parse(json) as [number, number]);
}
