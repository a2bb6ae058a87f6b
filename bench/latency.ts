import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fmt, stolenCoreMs } from './machine.js';
import type { GcPauses } from './servers/gc-pauses.js';
import { freshSchema, nextMessage, percentile, startChild } from './child.js';
import { createRunningJobs, createWorkerKey } from './clients/setup.js';
import { PACING_TICK_MS } from './pacer.js';

const BATCH = 100;
const JOBS = 1_000;
const SUBSCRIBERS = 100;
const here = import.meta.dirname;

/** One measured round, as the subscribers saw it (ms); the segments are on the server's wall clock. */
export interface LatencySamples {
  latencies: number[];
  /** Per sample, when its batch was sent (the reporter's clock): samples of one request share it. */
  sentAt: number[];
  applied: number[];
  announced: number[];
  received: number[];
  /** Reports sent in the round. */
  sent: number;
  /** CPU of each process over the round, in % of one core. */
  cpu: { server: number; reporter: number; subscribers: number };
  /** Time each process's main thread was ready to run but waited for a core, in % of the round (the machine is shared). */
  waitingForCpu: { server: number; reporter: number; subscribers: number };
  /** The server's GC pauses in the round (ms). */
  gcPauses: GcPauses;
  /** Time the hypervisor ran other guests on this machine's cores, in % of the round's core time. */
  stolen: number;
}

export interface LatencyBench {
  round(rate: number, seconds: number): Promise<LatencySamples>;
  stop(): Promise<void>;
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
export async function startHeadwayLatency(db: string | undefined): Promise<LatencyBench> {
  const adminKey = `hw_admin_${randomBytes(16).toString('hex')}`;
  const profileDir = process.env.HEADWAY_BENCH_CPU_PROF;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // The reporter posts with a worker's API key, as real workers do.
  const workerKey = (url: string) => createWorkerKey(url, { authorization: `Bearer ${adminKey}` });
  return startLatency(join(here, 'servers', 'headway-node.ts'), adminKey, workerKey, [adminKey, db ? freshSchema(db) : ''], nodeFlags, Boolean(profileDir));
}

/** The same measurement through relay-node.ts, which does only what any such server must: the floor on this machine. */
export async function startRelayLatency(): Promise<LatencyBench> {
  const adminKey = `relay_${randomBytes(16).toString('hex')}`;
  return startLatency(join(here, 'servers', 'relay-node.ts'), adminKey, async () => adminKey, [adminKey], [], false);
}

async function startLatency(script: string, adminKey: string, reporterToken: (url: string) => Promise<string>, args: string[], nodeFlags: string[], awaitExit: boolean): Promise<LatencyBench> {
  const node = await startChild<{ port: number }>(script, args, nodeFlags);
  const url = `http://127.0.0.1:${node.ready.port}`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) child.send({ type: 'exit' });
    const exited = new Promise((resolve) => node.child.once('exit', resolve));
    node.child.kill('SIGTERM');
    if (awaitExit) await exited; // a CPU profile is written as the server exits
  };
  try {
    const ids = await createRunningJobs(url, { authorization: `Bearer ${adminKey}` }, JOBS, 'bench.latency');
    const subscribers = (await startChild(join(here, 'clients', 'subscribers.ts'), [url, adminKey, String(SUBSCRIBERS)])).child;
    children.push(subscribers);
    const subscribed = nextMessage(subscribers, 'ready');
    subscribers.send({ type: 'subscribe', ids });
    await subscribed;
    const reporter = (await startChild(join(here, 'clients', 'reporter.ts'), [url, await reporterToken(url)])).child;
    children.push(reporter);
    // Warm-up (not measured): the JIT compiles the report and fan-out paths in all three processes.
    // One second at 1,000/s left the first measured round cold: 1,000/s rounds gave p99 41, 30 and
    // 18 ms before settling at 6–10 ms, worse than the 10,000/s rounds measured after them.
    for (const rate of [1_000, 10_000]) {
      const warmed = nextMessage(reporter, 'done');
      reporter.send({ ids, rate, seconds: rate === 1_000 ? 1 : 3, batch: BATCH });
      await warmed;
    }
    await new Promise((r) => setTimeout(r, 500));
    const round = async (rate: number, seconds: number): Promise<LatencySamples> => {
      const processes = [node.child, reporter, subscribers];
      const cpuBefore = processes.map(cpuMsOf);
      const waitBefore = processes.map(runQueueWaitMsOf);
      const stolenBefore = stolenCoreMs();
      await askGcPauses(node.child); // starts the count for this round
      const startedAt = performance.now();
      subscribers.send({ type: 'start' });
      const done = nextMessage<{ sent: number; failed: number }>(reporter, 'done');
      reporter.send({ ids, rate, seconds, batch: BATCH });
      const sent = await done;
      if (sent.failed > 0) throw new Error(`${sent.failed} progress batches were refused at ${rate}/s`);
      await new Promise((r) => setTimeout(r, 500)); // the last updates in flight
      const measured = nextMessage<Omit<LatencySamples, 'sent' | 'cpu' | 'waitingForCpu' | 'stolen' | 'gcPauses'>>(subscribers, 'samples');
      subscribers.send({ type: 'stop' });
      const samples = await measured;
      const gcPauses = await askGcPauses(node.child);
      const wallMs = performance.now() - startedAt;
      const [server, reporting, subscribing] = processes.map((child, i) => (100 * (cpuMsOf(child) - cpuBefore[i]!)) / wallMs) as [number, number, number];
      const [serverWait, reporterWait, subscribersWait] = processes.map((child, i) => (100 * (runQueueWaitMsOf(child) - waitBefore[i]!)) / wallMs) as [number, number, number];
      return {
        ...samples,
        sent: sent.sent,
        cpu: { server, reporter: reporting, subscribers: subscribing },
        waitingForCpu: { server: serverWait, reporter: reporterWait, subscribers: subscribersWait },
        stolen: (100 * (stolenCoreMs() - stolenBefore)) / (wallMs * cpus().length),
        gcPauses,
      };
    };
    return { round, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** Percentiles of latencies pooled from one or more rounds. */
export function summarize(rounds: number[][]): LatencySummary {
  const all = rounds.flat().sort((a, b) => a - b);
  return { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99), max: percentile(all, 100), count: all.length };
}

export function describeSummary(s: LatencySummary): string {
  return `p50 ${fmt(s.p50, 1)} ms, p95 ${fmt(s.p95, 1)} ms, p99 ${fmt(s.p99, 1)} ms, max ${fmt(s.max, 1)} ms`;
}

/** Headway's rounds at one rate, pooled: percentiles, where the time goes, and CPU. */
export function describeHeadway(rate: number, rounds: LatencySamples[]): string {
  const summary = summarize(rounds.map((r) => r.latencies));
  const sent = rounds.reduce((sum, r) => sum + r.sent, 0);
  const cpu = (key: keyof LatencySamples['cpu']) => fmt(rounds.reduce((sum, r) => sum + r.cpu[key], 0) / rounds.length);
  const waiting = (key: keyof LatencySamples['waitingForCpu']) => fmt(rounds.reduce((sum, r) => sum + r.waitingForCpu[key], 0) / rounds.length, 1);
  return (
    `headway report→WebSocket at ${fmt(rate)} updates/s (${fmt(JOBS)} jobs, ${SUBSCRIBERS} subscribers, batches of ${BATCH}): ${describeSummary(summary)} ` +
    `(${fmt(summary.count)} of ${fmt(sent)} reports delivered; ticks of one job within an announcement are conflated)\n` +
    `    where the time goes: ${whereTimeGoes(rounds)}; ${whereTheTailGoes(rounds)}; CPU: server ${cpu('server')}%, reporter ${cpu('reporter')}%, subscribers ${cpu('subscribers')}% of one core;\n` +
    `    waiting for a free core: server ${waiting('server')}%, reporter ${waiting('reporter')}%, subscribers ${waiting('subscribers')}% of the time; ` +
    `stolen by the hypervisor: ${fmt(rounds.reduce((sum, r) => sum + r.stolen, 0) / rounds.length, 1)}% of core time\n` +
    `    server GC pauses: ${describePauses('young', rounds.flatMap((r) => r.gcPauses.young))}; ${describePauses('full', rounds.flatMap((r) => r.gcPauses.full))}`
  );
}

function describePauses(kind: string, pauses: number[]): string {
  if (pauses.length === 0) return `no ${kind} GC`;
  const sorted = [...pauses].sort((a, b) => a - b);
  return `${fmt(sorted.length)} ${kind} (p50 ${fmt(percentile(sorted, 50), 1)} ms, max ${fmt(sorted.at(-1)!, 1)} ms)`;
}

/** The server's GC pauses since the previous ask. */
function askGcPauses(server: ChildProcess): Promise<GcPauses> {
  const answer = nextMessage<GcPauses>(server, 'gc-pauses');
  server.send({ type: 'gc-pauses' });
  return answer;
}

/** Sent → applied → announced → received, per segment, pooled over rounds (server wall-clock stamps, whole ms). */
export function whereTimeGoes(rounds: Array<Pick<LatencySamples, 'applied' | 'announced' | 'received'>>): string {
  return (['applied', 'announced', 'received'] as const)
    .map((segment) => {
      const s = summarize(rounds.map((r) => r[segment]));
      return `${segment} p50 ${s.p50.toFixed(0)} / p99 ${s.p99.toFixed(0)} ms`;
    })
    .join(', ');
}

/**
 * The same segments averaged over the slowest 1% of messages: which one the tail is made of.
 * Each segment's own p99 comes from different messages; this keeps each message whole.
 */
export function whereTheTailGoes(rounds: Array<Pick<LatencySamples, 'latencies' | 'sentAt' | 'applied' | 'announced' | 'received'>>): string {
  const pooled = (key: 'latencies' | 'applied' | 'announced' | 'received') => rounds.flatMap((r) => r[key]);
  const [latencies, applied, announced, received] = [pooled('latencies'), pooled('applied'), pooled('announced'), pooled('received')];
  const slowest = latencies
    .map((_, i) => i)
    .sort((a, b) => latencies[b]! - latencies[a]!)
    .slice(0, Math.max(1, Math.floor(latencies.length / 100)));
  const mean = (values: number[]) => fmt(slowest.reduce((sum, i) => sum + values[i]!, 0) / slowest.length, 1);
  const tail = `slowest 1% (mean): total ${mean(latencies)} ms = applied ${mean(applied)} + announced ${mean(announced)} + received ${mean(received)} ms`;
  const behind = rounds.flatMap(sentRightBehindAnother);
  const behindCount = behind.filter(Boolean).length;
  if (behindCount === 0) return `${tail}; no batch sent right behind another`;
  const behindSlowest = slowest.filter((i) => behind[i]).length;
  const median = (values: number[]) => fmt(summarize([values]).p50, 1);
  return (
    `${tail}; sent right behind another batch (the reporter catching up a late tick): ${fmt((100 * behindCount) / behind.length, 1)}% of reports, ` +
    `${fmt((100 * behindSlowest) / slowest.length)}% of the slowest 1%, p50 ${median(latencies.filter((_, i) => behind[i]))} ms against ${median(latencies.filter((_, i) => !behind[i]))} ms`
  );
}

/**
 * Per sample of a round, whether its batch left the reporter within a third of the pacing tick
 * of the one before: it reaches the server while that one is being applied and fanned out, and
 * waits for it. Reporter and server are the same for Headway and the relay; the wait is what differs.
 */
function sentRightBehindAnother(round: Pick<LatencySamples, 'sentAt'>): boolean[] {
  const batches = [...new Set(round.sentAt)].sort((a, b) => a - b);
  const behind = new Set(batches.filter((sentAt, i) => i > 0 && sentAt - batches[i - 1]! < PACING_TICK_MS / 3));
  return round.sentAt.map((sentAt) => behind.has(sentAt));
}

/** How long the process's main thread has waited on a run queue (/proc/<pid>/schedstat, ns). */
function runQueueWaitMsOf(child: ChildProcess): number {
  try {
    return Number(readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
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

