import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { fmt } from './machine.js';
import { percentile, startChild } from './child.js';
import { nowMs, paced } from './pacer.js';

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

/**
 * Latency from a report accepted over HTTP to the update arriving at a WebSocket subscriber:
 * 1,000 running jobs, 100 subscribers each watching 10 of them, reports paced at `rate`/s.
 */
export async function benchLatency(db: string | undefined, rates = [1_000, 10_000], seconds = 4): Promise<Record<string, number>> {
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const node = await startChild<{ port: number }>(join(here, 'servers', 'headway-node.ts'), [adminKey, db ?? '']);
  const url = `http://127.0.0.1:${node.ready.port}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  const figures: Record<string, number> = {};
  const sockets: WebSocket[] = [];
  try {
    const ids = await createRunningJobs(url, auth, 1_000);
    let latencies: number[] = [];
    for (let s = 0; s < 100; s++) {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream?token=${adminKey}`);
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      ws.on('message', (data) => {
        const arrived = nowMs();
        const message = JSON.parse(String(data)) as { type: string; update?: { job?: { metrics?: { custom?: { sentAt?: number } } } } };
        const sentAt = message.type === 'progress' ? message.update?.job?.metrics?.custom?.sentAt : undefined;
        if (typeof sentAt === 'number') latencies.push(arrived - sentAt);
      });
      for (const id of ids.slice(s * 10, s * 10 + 10)) ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${id}` }));
      sockets.push(ws);
    }
    for (const rate of rates) {
      latencies = [];
      // Batches of 100 reports, each stamped with its send time.
      const batchesPerSec = rate / BATCH;
      await paced(batchesPerSec, seconds, async (n) => {
        const sentAt = nowMs();
        const body = ids.slice((n % 10) * BATCH, (n % 10) * BATCH + BATCH).map((jobId) => ({ jobId, done: n, metrics: { sentAt } }));
        await fetch(`${url}/v1/progress`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      });
      await new Promise((r) => setTimeout(r, 500));
      latencies.sort((a, b) => a - b);
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p));
      figures[`p99_${rate}`] = p99!;
      console.log(`headway report→WebSocket at ${fmt(rate)} updates/s (1,000 jobs, 100 subscribers): p50 ${fmt(p50!, 1)} ms, p95 ${fmt(p95!, 1)} ms, p99 ${fmt(p99!, 1)} ms (${fmt(latencies.length)} updates delivered; ticks of one job within a flush are conflated)`);
    }
    return figures;
  } finally {
    for (const ws of sockets) ws.terminate();
    node.child.kill('SIGTERM');
  }
}
