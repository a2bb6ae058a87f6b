import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createHeadway } from '../packages/server/dist/create-headway.js';
import { SYSTEM } from '../packages/server/dist/service/actor.js';
import type { Headway } from '../packages/server/dist/headway.js';
import { config, freshDb } from './engine.js';
import { fmt } from './machine.js';

const JOBS = 4_000;
const IN_FLIGHT = 32;
const ROUNDS = 3;
const TRANSITION_JOBS = 1_000;
const TRANSITION_ROUNDS = 5;

/** Runs `create(n)` for n < JOBS with IN_FLIGHT at a time; answers creates per second. */
async function perSecond(create: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < JOBS) await create(next++);
    }),
  );
  return JOBS / ((performance.now() - started) / 1000);
}

/** Transitions per second of fresh jobs (created first, not timed): each started then completed, IN_FLIGHT jobs at a time. */
async function transitionsPerSecond(headway: Headway, round: number): Promise<number> {
  const ids: string[] = [];
  for (let n = 0; n < TRANSITION_JOBS; n++) ids.push((await headway.jobs.create({ type: 'bench.transitions', title: `run ${round}-${n}` }, SYSTEM)).id);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await headway.jobs.act(id, 'start', {}, SYSTEM);
        await headway.jobs.act(id, 'complete', {}, SYSTEM);
      }
    }),
  );
  return (2 * ids.length) / ((performance.now() - started) / 1000);
}

/**
 * Jobs created per second through the in-process API (32 in flight, so they are written in
 * groups): plain, with an Idempotency-Key (first sends), and the same keys sent again (resends,
 * answered the jobs they created). Rounds alternate plain and keyed; the medians are printed.
 * Then transitions per second (transitionsPerSecond).
 */
export async function benchCreation(db: string | undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-'));
  const headway = await createHeadway(config(freshDb(db, dir)), { logger: pino({ level: 'silent' }) });
  await headway.start();
  try {
    const body = (round: number, n: number) => ({ type: 'bench.create', title: `import ${round}-${n}`, total: 100 });
    const rates = { plain: [] as number[], keyed: [] as number[], resent: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rates.plain.push(await perSecond((n) => headway.jobs.create(body(round, n), SYSTEM)));
      rates.keyed.push(await perSecond((n) => headway.jobs.createOnce(body(round, n), SYSTEM, `import-${round}-${n}`)));
      rates.resent.push(await perSecond((n) => headway.jobs.createOnce(body(round, n), SYSTEM, `import-${round}-${n}`)));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const each = (values: number[]) => values.map((v) => fmt(v)).join(', ');
    console.log(
      `job creation (${headway.store.dialect}, ${fmt(JOBS)} jobs a round, ${IN_FLIGHT} in flight, median of ${ROUNDS}): plain ${fmt(median(rates.plain))}/s (${each(rates.plain)}); ` +
        `with an Idempotency-Key ${fmt(median(rates.keyed))}/s (${each(rates.keyed)}), ${fmt(median(rates.keyed) / median(rates.plain), 2)} of plain; ` +
        `resends answered ${fmt(median(rates.resent))}/s (${each(rates.resent)})`,
    );
    const transitions: number[] = [];
    for (let round = 0; round < TRANSITION_ROUNDS; round++) transitions.push(await transitionsPerSecond(headway, round));
    console.log(
      `job transitions (${headway.store.dialect}, ${fmt(TRANSITION_JOBS)} jobs a round each started then completed, ${IN_FLIGHT} jobs in flight, median of ${TRANSITION_ROUNDS}): ` +
        `${fmt(median(transitions))}/s (${each(transitions)})`,
    );
  } finally {
    await headway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
