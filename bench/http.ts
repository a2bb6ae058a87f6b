import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fmt } from './machine.js';
import { startChild } from './child.js';

const BATCH = 100;
const CONNECTIONS = 8;
const here = import.meta.dirname;

async function cannon(url: string, path: string, bodies: string[], headers: Record<string, string>, seconds: number): Promise<number> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx on ${path}`);
  return result.requests.average;
}

function batches(jobIds: string[], done: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < jobIds.length; i += BATCH) out.push(JSON.stringify(jobIds.slice(i, i + BATCH).map((jobId) => ({ jobId, done }))));
  return out;
}

/** Bare Fastify (parse only) vs Headway (parse, apply, persist) on the same batches. */
export async function benchHttpIngest(db: string | undefined, seconds = 5): Promise<Record<string, number>> {
  const fakeIds = Array.from({ length: 1_000 }, (_, i) => `job-${i}`);
  const bare = await startChild<{ port: number }>(join(here, 'servers', 'bare-fastify.ts'));
  const bareReqs = await cannon(`http://127.0.0.1:${bare.ready.port}`, '/v1/progress', batches(fakeIds, 1), {}, seconds);
  bare.child.kill('SIGTERM');
  const bareReportsPerSec = bareReqs * BATCH;

  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const node = await startChild<{ port: number }>(join(here, 'servers', 'headway-node.ts'), [adminKey, db ?? '']);
  const url = `http://127.0.0.1:${node.ready.port}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  try {
    const ids = await createRunningJobs(url, auth, 1_000);
    const batchedReqs = await cannon(url, '/v1/progress', batches(ids, 1), auth, seconds);
    const singleBody = JSON.stringify({ done: 2 });
    let n = 0;
    const single = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...auth }, setupRequest: (req) => ({ ...req, path: `/v1/jobs/${ids[n++ % ids.length]}/progress`, body: singleBody }) }],
    });
    const headwayBatched = batchedReqs * BATCH;
    console.log(`bare fastify (parse only): ${fmt(bareReportsPerSec)} reports/s (${CONNECTIONS} clients, batches of ${BATCH})`);
    console.log(`headway HTTP batched:      ${fmt(headwayBatched)} reports/s, persisted (ratio to bare fastify ${fmt(headwayBatched / bareReportsPerSec, 2)})`);
    console.log(`headway HTTP single:       ${fmt(single.requests.average)} reports/s (${CONNECTIONS} clients, one report per request)`);
    return { bareReportsPerSec, headwayBatched, headwaySingle: single.requests.average };
  } finally {
    node.child.kill('SIGTERM');
  }
}

async function createRunningJobs(url: string, headers: Record<string, string>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'bench.http', total: 1e9 }) });
    const job = (await res.json()) as { id: string };
    await fetch(`${url}/v1/jobs/${job.id}/start`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    ids.push(job.id);
  }
  return ids;
}
