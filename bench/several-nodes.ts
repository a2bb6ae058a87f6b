import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { percentile, startChild, startRedis } from './child.js';
import { fmt } from './machine.js';
import { nowMs, paced } from './pacer.js';

const here = import.meta.dirname;
const BATCH = 100;

interface Node {
  url: string;
  stop(): void;
}

async function startNode(adminKey: string, db: string, redis: string, prefix: string): Promise<Node> {
  const { child, ready } = await startChild<{ port: number }>(join(here, 'servers', 'cluster-node.ts'), [adminKey, db, redis, prefix]);
  return { url: `http://127.0.0.1:${ready.port}`, stop: () => child.kill('SIGTERM') };
}

/**
 * Two nodes on one PostgreSQL and one Redis (`redisUrl`, or a throwaway one): report→WebSocket
 * latency when the report goes to node A and the subscriber listens on node B (every update
 * crosses Redis), and jobs created per second through one node and through both at once (each
 * creation is a durable transaction taking the event-cursor lock, so this is the shared ceiling).
 */
export async function benchSeveralNodes(db: string, redisUrl: string | undefined, seconds = 4): Promise<Record<string, number>> {
  const redis = redisUrl ? { url: redisUrl, stop: () => undefined } : await startRedis();
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const nodes = await Promise.all([startNode(adminKey, db, redis.url, prefix), startNode(adminKey, db, redis.url, prefix)]);
  const [a, b] = nodes as [Node, Node];
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const sockets: WebSocket[] = [];
  const figures: Record<string, number> = {};
  try {
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const job = (await (await fetch(`${a.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ type: 'bench.nodes', total: 1e9 }) })).json()) as { id: string };
      await fetch(`${a.url}/v1/jobs/${job.id}/start`, { method: 'POST', headers, body: '{}' });
      ids.push(job.id);
    }
    let latencies: number[] = [];
    for (let s = 0; s < 100; s++) {
      const ws = new WebSocket(`${b.url.replace('http', 'ws')}/v1/stream?token=${adminKey}`);
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
    for (const rate of [1_000, 10_000]) {
      latencies = [];
      await paced(rate / BATCH, seconds, async (n) => {
        const sentAt = nowMs();
        const body = ids.slice((n % 10) * BATCH, (n % 10) * BATCH + BATCH).map((jobId) => ({ jobId, done: n, metrics: { sentAt } }));
        await fetch(`${a.url}/v1/progress`, { method: 'POST', headers, body: JSON.stringify(body) });
      });
      await new Promise((r) => setTimeout(r, 500));
      latencies.sort((x, y) => x - y);
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p));
      figures[`crossNodeP99_${rate}`] = p99!;
      console.log(`several nodes: report to node A → WebSocket on node B at ${fmt(rate)} updates/s: p50 ${fmt(p50!, 1)} ms, p95 ${fmt(p95!, 1)} ms, p99 ${fmt(p99!, 1)} ms (${fmt(latencies.length)} updates)`);
    }
    for (const ws of sockets.splice(0)) ws.terminate();

    const create = (node: Node, connections: number) =>
      autocannon({ url: node.url, connections, duration: seconds, requests: [{ method: 'POST', path: '/v1/jobs', headers, body: JSON.stringify({ type: 'bench.nodes.create' }) }] });
    const one = await create(a, 16);
    const both = await Promise.all([create(a, 8), create(b, 8)]);
    figures.createsOneNode = one.requests.average;
    figures.createsTwoNodes = both[0].requests.average + both[1].requests.average;
    console.log(`several nodes: jobs created/s (one durable transaction each) through one node ${fmt(figures.createsOneNode)}, through two nodes at once ${fmt(figures.createsTwoNodes)} (16 connections in all)`);
    return figures;
  } finally {
    for (const ws of sockets) ws.terminate();
    for (const node of nodes) node.stop();
    redis.stop();
  }
}
