import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { fmt } from './machine.js';
import { percentile, startChild } from './child.js';
import { nowMs, paced } from './pacer.js';

const BATCH = 100;
const here = import.meta.dirname;

async function createRunningJobs(url: string, headers: Record<string, string>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'bench.latency', total: 1e9 }) });
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
