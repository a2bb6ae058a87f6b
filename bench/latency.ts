import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt } from './machine.js';
import { nextMessage, startChild } from './child.js';

const BATCH = 100;
const JOBS = 1_000;
const SUBSCRIBERS = 100;
const here = import.meta.dirname;

interface LatencyFigures {
  delivered: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Per segment (sent → applied → announced → received), from the server's own stamps (ms clocks). */
  where: string;
}

/**
 * Latency from a progress report sent over HTTP to the update arriving at a WebSocket
 * subscriber: 1,000 running jobs, 100 subscribers each following 10 of them (one `job:`
 * channel per job), reports posted in batches of 100 at `rate`/s. The reporters and the
 * subscribers run in processes of their own, so the figures are the server's, not those of a
 * load generator sharing its event loop with 100 sockets. The clock starts in the reporter
 * before the request is sent and stops when a subscriber's socket hands over the message.
 * Set HEADWAY_BENCH_CPU_PROF=<dir> to write a CPU profile of the server there.
 */
export async function benchLatency(db: string | undefined, rates = [1_000, 10_000], seconds = 4): Promise<Record<string, number>> {
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const profileDir = process.env.HEADWAY_BENCH_CPU_PROF;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const node = await startChild<{ port: number }>(join(here, 'servers', 'headway-node.ts'), [adminKey, db ?? ''], nodeFlags);
  const url = `http://127.0.0.1:${node.ready.port}`;
  const children: ChildProcess[] = [];
  const figures: Record<string, number> = {};
  try {
    const ids = await createRunningJobs(url, { authorization: `Bearer ${adminKey}` }, JOBS);
    const subscribers = (await startChild(join(here, 'clients', 'subscribers.ts'), [url, adminKey, String(SUBSCRIBERS)])).child;
    children.push(subscribers);
    const subscribed = nextMessage(subscribers, 'ready');
    subscribers.send({ type: 'subscribe', ids });
    await subscribed;
    const reporter = (await startChild(join(here, 'clients', 'reporter.ts'), [url, adminKey])).child;
    children.push(reporter);
    // Warm-up (not measured): the JIT compiles the report and fan-out paths in all three processes.
    const warmed = nextMessage(reporter, 'done');
    reporter.send({ ids, rate: rates[0], seconds: 1, batch: BATCH });
    await warmed;
    await new Promise((r) => setTimeout(r, 500));
    for (const rate of rates) {
      const cpuBefore = [node.child, reporter, subscribers].map(cpuMsOf);
      const startedAt = performance.now();
      subscribers.send({ type: 'start' });
      const done = nextMessage<{ sent: number; failed: number; p99RequestMs: number }>(reporter, 'done');
      reporter.send({ ids, rate, seconds, batch: BATCH });
      const sent = await done;
      if (sent.failed > 0) throw new Error(`${sent.failed} progress batches were refused at ${rate}/s`);
      await new Promise((r) => setTimeout(r, 500)); // the last updates in flight
      const measured = nextMessage<LatencyFigures>(subscribers, 'figures');
      subscribers.send({ type: 'stop' });
      const { delivered, p50, p95, p99, max, where } = await measured;
      const wallMs = performance.now() - startedAt;
      const [server, reporting, subscribing] = [node.child, reporter, subscribers].map((child, i) => fmt((100 * (cpuMsOf(child) - cpuBefore[i]!)) / wallMs));
      figures[`p99_${rate}`] = p99;
      console.log(
        `headway report→WebSocket at ${fmt(rate)} updates/s (${fmt(JOBS)} jobs, ${SUBSCRIBERS} subscribers): p50 ${fmt(p50, 1)} ms, p95 ${fmt(p95, 1)} ms, p99 ${fmt(p99, 1)} ms, max ${fmt(max, 1)} ms ` +
          `(${fmt(delivered)} of ${fmt(sent.sent)} reports delivered, ticks of one job within an announcement are conflated; HTTP request p99 ${fmt(sent.p99RequestMs, 1)} ms)\n    where the time goes: ${where}; CPU: server ${server}%, reporter ${reporting}%, subscribers ${subscribing}% of one core`,
      );
    }
    return figures;
  } finally {
    for (const child of children) child.send({ type: 'exit' });
    const exited = new Promise((resolve) => node.child.once('exit', resolve));
    node.child.kill('SIGTERM');
    if (profileDir) await exited; // the profile is written as the server exits
  }
}

/** CPU time (user + system) a child process has used so far, from /proc (Linux; 0 elsewhere). */
function cpuMsOf(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return 0;
  }
}

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
