import type {
  ActiveCountRow,
  AnalyticsRange,
  AnalyticsStore,
  StepDurationRow,
  ThroughputRow,
  TypeOutcomeRow,
} from '../analytics-store.js';
import type { Scan } from './reader-thread.js';
import type { SqliteDb } from './sqlite-db.js';

/** Work time of a finished job; clamped because clocks of reporting workers may disagree. */
const WORK_MS = 'MAX(finished_at - started_at - paused_ms, 0)';

/*
 * Percentiles are nearest-rank: the smallest value whose rank (ROW_NUMBER over the ordered
 * values) reaches p × n. SQLite has no percentile function; window functions make it one pass.
 * The owner condition is `(? IS NULL OR owner = ?)` so each query keeps one fixed text.
 */

const TYPE_OUTCOMES = `
  WITH finished AS (
    SELECT type, status, unit, done,
           CASE WHEN status = 'completed' AND started_at IS NOT NULL THEN ${WORK_MS} END AS work_ms
      FROM jobs
     WHERE finished_at >= ? AND finished_at < ? AND (? IS NULL OR owner = ?)
  ), ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY type, work_ms IS NULL ORDER BY work_ms) AS rank,
              COUNT(work_ms) OVER (PARTITION BY type) AS n
      FROM finished
  )
  SELECT type,
         SUM(status = 'completed') AS completed,
         SUM(status = 'failed') AS failed,
         SUM(status = 'cancelled') AS cancelled,
         MIN(CASE WHEN work_ms IS NOT NULL AND rank >= 0.5 * n THEN work_ms END) AS p50,
         MIN(CASE WHEN work_ms IS NOT NULL AND rank >= 0.95 * n THEN work_ms END) AS p95,
         COALESCE(SUM(CASE WHEN work_ms IS NOT NULL THEN done END), 0) AS units_done,
         COALESCE(SUM(work_ms), 0) AS work_ms,
         MAX(unit) AS unit
    FROM ranked
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
  WITH runs AS (
    SELECT json_extract(step.value, '$.name') AS name,
           CAST(step.key AS INTEGER) AS position,
           MAX(json_extract(step.value, '$.endedAt') - json_extract(step.value, '$.startedAt'), 0) AS duration
      FROM jobs, json_each(jobs.steps) AS step
     WHERE jobs.type = ? AND jobs.finished_at >= ? AND jobs.finished_at < ? AND (? IS NULL OR jobs.owner = ?)
       AND json_extract(step.value, '$.startedAt') IS NOT NULL
       AND json_extract(step.value, '$.endedAt') IS NOT NULL
  ), ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY name ORDER BY duration) AS rank, COUNT(*) OVER (PARTITION BY name) AS n
      FROM runs
  )
  SELECT name, MIN(position) AS position, COUNT(*) AS runs, SUM(duration) AS total,
         MIN(CASE WHEN rank >= 0.5 * n THEN duration END) AS p50,
         MIN(CASE WHEN rank >= 0.95 * n THEN duration END) AS p95
    FROM ranked
   GROUP BY name
   ORDER BY position, name`;

interface TypeOutcomeSql {
  type: string;
  completed: number;
  failed: number;
  cancelled: number;
  p50: number | null;
  p95: number | null;
  units_done: number;
  work_ms: number;
  unit: string | null;
}

interface StepSql {
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
      return (await scan<TypeOutcomeSql>(TYPE_OUTCOMES, [range.from, range.to, ...owner(range)])).map((row) => ({
        type: row.type,
        completed: row.completed,
        failed: row.failed,
        cancelled: row.cancelled,
        p50DurationMs: row.p50,
        p95DurationMs: row.p95,
        unitsDone: row.units_done,
        workMs: row.work_ms,
        unit: row.unit,
      }));
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
      return (await scan<StepSql>(STEP_DURATIONS, [range.type, range.from, range.to, ...owner(range)])).map((row) => ({
        name: row.name,
        position: row.position,
        runs: row.runs,
        totalMs: row.total,
        p50Ms: row.p50,
        p95Ms: row.p95,
      }));
    },
  };
}
