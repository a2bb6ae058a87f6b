import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from '../packages/server/dist/config/config.js';
import { createHeadway } from '../packages/server/dist/create-headway.js';
import { SYSTEM } from '../packages/server/dist/service/actor.js';
import { freshSchema } from './child.js';
import { fmt } from './machine.js';

export function config(db: string, overrides: Partial<Config> = {}): Config {
  return Value.Default(ConfigSchema, { db, logLevel: 'silent', ...overrides }) as Config;
}

/** A SQLite file in `dir`, or a fresh schema in the PostgreSQL `db` names, so earlier runs' jobs never count. */
export function freshDb(db: string | undefined, dir: string): string {
  return db ? freshSchema(db) : join(dir, 'bench.db');
}

/** Progress ticks per second the in-process API absorbs with 1,000 running jobs, persisted by the flusher. */
export async function benchEngineIngest(db: string | undefined, jobsCount = 1_000, seconds = 5): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-'));
  const headway = await createHeadway(config(freshDb(db, dir)), { logger: pino({ level: 'silent' }) });
  await headway.start();
  try {
    const ids: string[] = [];
    for (let i = 0; i < jobsCount; i++) {
      const job = await headway.jobs.create({ type: 'bench.ingest', total: 1e9 }, SYSTEM);
      await headway.jobs.act(job.id, 'start', {}, SYSTEM);
      ids.push(job.id);
    }
    const flushesBefore = headway.stats.flushes;
    const started = performance.now();
    let ticks = 0;
    let done = 0;
    while (performance.now() - started < seconds * 1000) {
      done++;
      const batch = ids.map((id) => headway.jobs.report(id, { done }, SYSTEM));
      await Promise.all(batch);
      ticks += batch.length;
      await new Promise((r) => setImmediate(r)); // let the flusher's timers run, as an HTTP server would
    }
    const elapsedSec = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, headway.config.flushIntervalMs * 3));
    const flushes = headway.stats.flushes - flushesBefore;
    const stored = await headway.store.jobs.get(ids[0]!);
    const ticksPerSec = ticks / elapsedSec;
    console.log(`engine ingest (${headway.store.dialect}): ${fmt(ticksPerSec)} ticks/s in-process with ${fmt(jobsCount)} running jobs; ${fmt(flushes)} flush transactions in ${fmt(elapsedSec, 1)} s; last tick persisted: ${stored?.done === done}`);
    return { ticksPerSec, flushes, elapsedSec };
  } finally {
    await headway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time from process start (createHeadway + start) until 10,000 interrupted jobs are running again. */
export async function benchRecovery(db: string | undefined, jobsCount = 10_000): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-'));
  const nodeId = 'bench-node';
  const benchDb = freshDb(db, dir);
  const seed = await createHeadway(config(benchDb, { nodeId }), { logger: pino({ level: 'silent' }) });
  const now = Date.now();
  const records = [];
  for (let i = 0; i < jobsCount; i++) records.push((await seed.jobs.create({ type: 'bench.recover' }, SYSTEM)).id);
  for (let left = jobsCount; left > 0; left -= 500) await seed.store.jobs.claimMany({ type: 'bench.recover', nodeId, leaseExpiresAt: now + 3_600_000, now }, Math.min(500, left));
  await seed.stop();

  const started = performance.now();
  const headway = await createHeadway(config(benchDb, { nodeId }), { logger: pino({ level: 'silent' }) });
  let running = 0;
  let allRunning: (() => void) | null = null;
  const reached = new Promise<void>((resolve) => (allRunning = resolve));
  headway.runtime.register(
    'bench.recover',
    async (ctx) => {
      if (++running === jobsCount) allRunning?.();
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    },
    { concurrency: jobsCount },
  );
  await headway.start();
  await reached;
  const restartToAllRunningMs = performance.now() - started;
  console.log(`recovery (${headway.store.dialect}): ${fmt(jobsCount)} interrupted jobs running again ${fmt(restartToAllRunningMs)} ms after start (target ≤ 5,000 ms)`);
  await headway.stop();
  rmSync(dir, { recursive: true, force: true });
  return { restartToAllRunningMs };
}
