import type {
  ActiveCountRow,
  AnalyticsRange,
  AnalyticsStore,
  StepDurationRow,
  ThroughputRow,
  TypeOutcomeRow,
} from '../analytics-store.js';
import type { Scan } from './reader-thread.js';
import { p50AndP95Of } from './sql-functions.js';
import type { SqliteDb } from './sqlite-db.js';

/** Work time of a finished job; clamped because clocks of reporting workers may disagree. */
const WORK_MS = 'MAX(finished_at - started_at - paused_ms, 0)';

// The owner condition is `(? IS NULL OR owner = ?)` so each query keeps one fixed text.
// Percentiles come from the aggregates headway_p50_p95 and headway_step_stats (sql-functions.ts).

const TYPE_OUTCOMES = `
  SELECT type,
         SUM(status = 'completed') AS completed,
         SUM(status = 'failed') AS failed,
         SUM(status = 'cancelled') AS cancelled,
         headway_p50_p95(work_ms) AS percentiles,
         COALESCE(SUM(CASE WHEN work_ms IS NOT NULL THEN done END), 0) AS units_done,
         COALESCE(SUM(work_ms), 0) AS work_ms,
         MAX(unit) AS unit
    FROM (SELECT type, status, unit, done,
                 CASE WHEN status = 'completed' AND started_at IS NOT NULL THEN ${WORK_MS} END AS work_ms
            FROM jobs
           WHERE finished_at >= ? AND finished_at < ? AND (? IS NULL OR owner = ?))
   GROUP BY type
   ORDER BY type`;

const ACTIVE_COUNTS = `
  SELECT type, SUM(status = 'queued') AS queued, SUM(status = 'running') AS running, SUM(status = 'paused') AS paused
    FROM jobs
   WHERE status IN ('queued', 'running', 'paused') AND (? IS NULL OR owner = ?)
   GROUP BY type
   ORDER BY type`;

// The bucket starts come as a JSON array; CROSS JOIN makes them the outer loop (SQLite's rule),
// so each bucket is one range scan of jobs_by_finished rather than every job tried on every bucket.
const THROUGHPUT = `
  WITH bounds AS (
    SELECT value AS start, MAX(value, ?) AS low, COALESCE(LEAD(value) OVER (ORDER BY key), ?) AS high
      FROM json_each(?)
  )
  SELECT bounds.start AS start,
         SUM(jobs.status = 'completed') AS completed,
         SUM(jobs.status = 'failed') AS failed,
         SUM(jobs.status = 'cancelled') AS cancelled,
         COALESCE(SUM(CASE WHEN jobs.status = 'completed' THEN jobs.done END), 0) AS units
    FROM bounds CROSS JOIN jobs
   WHERE jobs.finished_at >= bounds.low AND jobs.finished_at < bounds.high
     AND (? IS NULL OR jobs.type = ?) AND (? IS NULL OR jobs.owner = ?)
   GROUP BY bounds.start
   ORDER BY bounds.start`;

// Recent completed jobs only: the partial index jobs_completed_by_type keeps this cheap.
const UNIT_OF = `
  SELECT unit, COUNT(*) AS n
    FROM (SELECT unit FROM jobs WHERE type = ? AND status = 'completed' ORDER BY finished_at DESC LIMIT 200)
   WHERE unit IS NOT NULL
   GROUP BY unit
   ORDER BY n DESC, unit
   LIMIT 1`;

const STEP_DURATIONS = `
  SELECT headway_step_stats(steps) AS stats
    FROM jobs
   WHERE type = ? AND finished_at >= ? AND finished_at < ? AND (? IS NULL OR owner = ?)`;

interface TypeOutcomeSql {
  type: string;
  completed: number;
  failed: number;
  cancelled: number;
  percentiles: string | null;
  units_done: number;
  work_ms: number;
  unit: string | null;
}

interface StepStats {
  name: string;
  position: number;
  runs: number;
  total: number;
  p50: number;
  p95: number;
}
/**
 * `scan` runs the queries that read every job of the range (on the reader thread of a running
 * node: 300,000 jobs took the type outcomes 1.1 s); the index-backed ones use `db`.
 */
export function sqliteAnalyticsStore(db: SqliteDb, scan: Scan): AnalyticsStore {
  const owner = (range: { owner?: string }) => [range.owner ?? null, range.owner ?? null];
  return {
    async typeOutcomes(range: AnalyticsRange): Promise<TypeOutcomeRow[]> {
      return (await scan<TypeOutcomeSql>(TYPE_OUTCOMES, [range.from, range.to, ...owner(range)])).map((row) => {
        const [p50DurationMs, p95DurationMs] = p50AndP95Of(row.percentiles);
        const { type, completed, failed, cancelled, units_done: unitsDone, work_ms: workMs, unit } = row;
        return { type, completed, failed, cancelled, p50DurationMs, p95DurationMs, unitsDone, workMs, unit };
      });
    },
    async activeCounts(ownerId?: string): Promise<ActiveCountRow[]> {
      return db.all<ActiveCountRow>(ACTIVE_COUNTS, ownerId ?? null, ownerId ?? null);
    },
    async throughput(range): Promise<ThroughputRow[]> {
      const type = range.type ?? null;
      return scan<ThroughputRow>(THROUGHPUT, [range.from, range.to, JSON.stringify(range.bucketStarts), type, type, ...owner(range)]);
    },
    async unitOf(type: string): Promise<string | null> {
      return db.get<{ unit: string }>(UNIT_OF, type)?.unit ?? null;
    },
    async stepDurations(range): Promise<StepDurationRow[]> {
      const [row] = await scan<{ stats: string | null }>(STEP_DURATIONS, [range.type, range.from, range.to, ...owner(range)]);
      const stats = row?.stats ? (JSON.parse(row.stats) as StepStats[]) : [];
      return stats.map(({ name, position, runs, total, p50, p95 }) => ({ name, position, runs, totalMs: total, p50Ms: p50, p95Ms: p95 }));
    },
  };
}
