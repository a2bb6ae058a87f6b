import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt } from './machine.js';
import { freshSchema, startChild } from './child.js';
import { pinApart } from './pinning.js';
import { createRunningJobs, createWorkerKey } from './clients/setup.js';

const BATCH = 100;
const CONNECTIONS = 8;
const JOBS = 1_000;
/** Bare and Headway take turns this many times, so both see the same share of a busy machine. */
const ROUNDS = 3;
const WARM_UP_SECONDS = 4;
/** Progress rounds in the bodies: each job's `done` grows from one round to the next, as a worker's would. */
const DONE_STEPS = 20;
const here = import.meta.dirname;

interface Load {
  requests: number;
  seconds: number;
  /** CPU seconds the server and this process (the load generator) spent meanwhile. */
  serverCpu: number;
  clientCpu: number;
}

const noLoad = (): Load => ({ requests: 0, seconds: 0, serverCpu: 0, clientCpu: 0 });

/** user + system CPU seconds of a child process so far (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** `bodies` cycle over the connections; every answer must be 2xx. Adds what it measured to `into`. */
async function cannon(server: ChildProcess, url: string, path: (n: number) => string, bodies: string[], headers: Record<string, string>, seconds: number, into: Load): Promise<void> {
  let next = 0;
  const cpu0 = cpuSecondsOf(server);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, setupRequest: (req) => ({ ...req, path: path(next), body: bodies[next++ % bodies.length] }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} answers were not 2xx and ${result.errors} requests failed on ${url}`);
  const client = process.cpuUsage(client0);
  into.requests += result.requests.total;
  into.seconds += (performance.now() - t0) / 1000;
  into.serverCpu += cpuSecondsOf(server) - cpu0;
  into.clientCpu += (client.user + client.system) / 1e6;
}

/** Batches of BATCH reports, one per job, `done` growing by round: the same bodies go to both servers. */
function batches(jobIds: string[]): string[] {
  const out: string[] = [];
  for (let done = 1; done <= DONE_STEPS; done++) {
    for (let i = 0; i < jobIds.length; i += BATCH) out.push(JSON.stringify(jobIds.slice(i, i + BATCH).map((jobId) => ({ jobId, done }))));
  }
  return out;
}

function describe(name: string, load: Load, reportsPerRequest: number): string {
  const rate = (load.requests * reportsPerRequest) / load.seconds;
  const perCpu = (load.requests * reportsPerRequest) / load.serverCpu;
  return `${name.padEnd(27)}${fmt(rate).padStart(9)} reports/s  (server CPU ${fmt((100 * load.serverCpu) / load.seconds)}%, load generator ${fmt((100 * load.clientCpu) / load.seconds)}%; ${fmt(perCpu)} reports per server CPU-second)`;
}

/**
 * Bare Fastify (parse and validate only) vs Headway (authenticate a worker's API key, validate, apply, persist) on the
 * same batches, from the same load generator, each server in its own process. They take turns
 * (ROUNDS times) so a machine shared with other work slows both alike. HEADWAY_BENCH_PROFILE=<dir>
 * writes a CPU profile of each server there.
 */
export async function benchHttpIngest(db: string | undefined, seconds = 6): Promise<Record<string, number>> {
  const profileDir = process.env.HEADWAY_BENCH_PROFILE;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const bare = await startChild<{ port: number }>(join(here, 'servers', 'bare-fastify.ts'), [], nodeFlags);
  const node = await startChild<{ port: number }>(join(here, 'servers', 'headway-node.ts'), [adminKey, db ? freshSchema(db) : ''], nodeFlags);
  const bareUrl = `http://127.0.0.1:${bare.ready.port}`;
  const url = `http://127.0.0.1:${node.ready.port}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  let pinned: ReturnType<typeof pinApart> | undefined;
  try {
    const ids = await createRunningJobs(url, auth, JOBS, 'bench.http');
    const worker = { authorization: `Bearer ${await createWorkerKey(url, auth)}` };
    pinned = pinApart([bare.child.pid!, node.child.pid!]);
    const bodies = batches(ids);
    const bareLoad = noLoad();
    const batchedLoad = noLoad();
    const slice = seconds / ROUNDS;
    // Warm-up, not counted: both servers' code paths are optimized before they are compared.
    // Both reach their steady rate after 3-4 s under load (1 s left bare Fastify at half of it).
    await cannon(bare.child, bareUrl, () => '/v1/progress', bodies, {}, WARM_UP_SECONDS, noLoad());
    await cannon(node.child, url, () => '/v1/progress', bodies, worker, WARM_UP_SECONDS, noLoad());
    for (let round = 0; round < ROUNDS; round++) {
      await cannon(bare.child, bareUrl, () => '/v1/progress', bodies, {}, slice, bareLoad);
      await cannon(node.child, url, () => '/v1/progress', bodies, worker, slice, batchedLoad);
    }
    const singleLoad = noLoad();
    const singleBodies = Array.from({ length: DONE_STEPS }, (_, i) => JSON.stringify({ done: DONE_STEPS + i + 1 }));
    await cannon(node.child, url, (n) => `/v1/jobs/${ids[n % ids.length]}/progress`, singleBodies, worker, Math.max(2, slice), singleLoad);

    const bareReportsPerSec = (bareLoad.requests * BATCH) / bareLoad.seconds;
    const headwayBatched = (batchedLoad.requests * BATCH) / batchedLoad.seconds;
    const headwaySingle = singleLoad.requests / singleLoad.seconds;
    const perCpuRatio = ((batchedLoad.requests / batchedLoad.serverCpu) * BATCH) / ((bareLoad.requests / bareLoad.serverCpu) * BATCH);
    console.log(`HTTP ingest: ${CONNECTIONS} clients, batches of ${BATCH} over ${JOBS} running jobs, ${ROUNDS} alternating rounds of ${fmt(slice, 1)} s; ${pinned.placement}`);
    console.log(describe('bare fastify (parse only)', bareLoad, BATCH));
    console.log(describe('headway HTTP batched', batchedLoad, BATCH) + ', persisted');
    console.log(describe('headway HTTP single', singleLoad, 1));
    console.log(`batched / bare fastify: ${fmt(headwayBatched / bareReportsPerSec, 2)} in reports/s, ${fmt(perCpuRatio, 2)} in reports per server CPU-second`);
    return { bareReportsPerSec, headwayBatched, headwaySingle };
  } finally {
    pinned?.unpin();
    await Promise.all([stop(bare.child), stop(node.child)]);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}


