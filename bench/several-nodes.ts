import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freshSchema, nextMessage, startChild, startRedis } from './child.js';
import { describeSummary, summarize, whereTimeGoes, type LatencySamples } from './latency.js';
import { fmt } from './machine.js';
import { createRunningJobs } from './clients/setup.js';

const here = import.meta.dirname;
const BATCH = 100;
const JOBS = 1_000;
const SUBSCRIBERS = 100;

interface Node {
  url: string;
  child: ChildProcess;
}

async function startNode(adminKey: string, db: string, redis: string, prefix: string, nodeFlags: string[]): Promise<Node> {
  const { child, ready } = await startChild<{ port: number }>(join(here, 'servers', 'cluster-node.ts'), [adminKey, db, redis, prefix], nodeFlags);
  return { url: `http://127.0.0.1:${ready.port}`, child };
}

/**
 * Two nodes on one PostgreSQL and one Redis (`redisUrl`, or a throwaway one): report→WebSocket
 * latency when the reports go to node A and the subscribers listen on node B (every update
 * crosses Redis), and jobs created per second through one node and through both at once (each
 * creation is a durable transaction taking the event-cursor lock, so this is the shared ceiling).
 * The reporters and the subscribers are the latency bench's own client processes
 * (bench/clients), so the figures are the nodes', not a load generator's.
 * Set HEADWAY_BENCH_CPU_PROF=<dir> to write CPU profiles of both nodes there.
 */
export async function benchSeveralNodes(db: string, redisUrl: string | undefined, seconds = 4): Promise<Record<string, number>> {
  const redis = redisUrl ? { url: redisUrl, stop: () => undefined } : await startRedis();
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const profileDir = process.env.HEADWAY_BENCH_CPU_PROF;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const schema = freshSchema(db); // both nodes share it
  const nodes = await Promise.all([startNode(adminKey, schema, redis.url, prefix, nodeFlags), startNode(adminKey, schema, redis.url, prefix, nodeFlags)]);
  const [a, b] = nodes as [Node, Node];
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const clients: ChildProcess[] = [];
  const figures: Record<string, number> = {};
  try {
    const ids = await createRunningJobs(a.url, headers, JOBS, 'bench.nodes');
    const subscribers = (await startChild(join(here, 'clients', 'subscribers.ts'), [b.url, adminKey, String(SUBSCRIBERS)])).child;
    clients.push(subscribers);
    const subscribed = nextMessage(subscribers, 'ready');
    subscribers.send({ type: 'subscribe', ids });
    await subscribed;
    const reporter = (await startChild(join(here, 'clients', 'reporter.ts'), [a.url, adminKey])).child;
    clients.push(reporter);
    // Warm-up (not measured): the JIT compiles the report, bus and fan-out paths in every process.
    const warmed = nextMessage(reporter, 'done');
    reporter.send({ ids, rate: 1_000, seconds: 1, batch: BATCH });
    await warmed;
    await new Promise((r) => setTimeout(r, 500));
    for (const rate of [1_000, 10_000]) {
      const cpuBefore = await Promise.all(nodes.map(cpuMs));
      subscribers.send({ type: 'start' });
      const done = nextMessage<{ sent: number; failed: number }>(reporter, 'done');
      reporter.send({ ids, rate, seconds, batch: BATCH });
      const sent = await done;
      if (sent.failed > 0) throw new Error(`${sent.failed} progress batches were refused at ${rate}/s`);
      await new Promise((r) => setTimeout(r, 500)); // the last updates in flight
      const measured = nextMessage<Omit<LatencySamples, 'sent' | 'cpu'>>(subscribers, 'samples');
      subscribers.send({ type: 'stop' });
      const samples = await measured;
      const summary = summarize([samples.latencies]);
      // CPU per update is what the bus costs, and varies less than latency on a shared machine.
      const [cpuA, cpuB] = (await Promise.all(nodes.map(cpuMs))).map((ms, i) => (ms - cpuBefore[i]!) / (sent.sent / 1_000));
      figures[`crossNodeP99_${rate}`] = summary.p99;
      console.log(
        `several nodes: report to node A → WebSocket on node B at ${fmt(rate)} updates/s: ${describeSummary(summary)} ` +
          `(${fmt(summary.count)} of ${fmt(sent.sent)} reports delivered; ticks of one job within an announcement are conflated)\n    where the time goes: ${whereTimeGoes([samples])}` +
          `\n    CPU per 1,000 updates: node A (reports, publishes) ${fmt(cpuA!, 0)} ms, node B (receives, fans out) ${fmt(cpuB!, 0)} ms`,
      );
    }
    for (const client of clients.splice(0)) client.send({ type: 'exit' });

    const create = (node: Node, connections: number) =>
      autocannon({ url: node.url, connections, duration: seconds, requests: [{ method: 'POST', path: '/v1/jobs', headers, body: JSON.stringify({ type: 'bench.nodes.create' }) }] });
    const one = await create(a, 16);
    const both = await Promise.all([create(a, 8), create(b, 8)]);
    figures.createsOneNode = one.requests.average;
    figures.createsTwoNodes = both[0].requests.average + both[1].requests.average;
    console.log(`several nodes: jobs created/s (one durable transaction each) through one node ${fmt(figures.createsOneNode)}, through two nodes at once ${fmt(figures.createsTwoNodes)} (16 connections in all)`);
    return figures;
  } finally {
    for (const client of clients) client.send({ type: 'exit' });
    const exited = nodes.map((node) => new Promise((resolve) => node.child.once('exit', resolve)));
    for (const node of nodes) node.child.kill('SIGTERM');
    if (profileDir) await Promise.all(exited); // profiles are written as the nodes exit
    redis.stop();
  }
}

/** CPU time (user + system) a node has used so far. */
async function cpuMs(node: Node): Promise<number> {
  const answer = nextMessage<{ ms: number }>(node.child, 'cpu');
  node.child.send({ type: 'cpu' });
  return (await answer).ms;
}

