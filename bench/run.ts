/**
 * `npm run bench [-- --db postgres://…] [-- --redis redis://…] [-- --only engine,recovery,creation,http,bullmq,latency,nodes,history]`: prints figures and the
 * machine; no thresholds. Compare ratios within one run. The script builds first: Headway runs from its
 * compiled output, as `headway serve` does (run from TypeScript sources, its server took a tenth more CPU).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { startBullmq } from './bullmq.js';
import { dropFreshSchemas } from './child.js';
import { benchCreation } from './creation.js';
import { benchEngineIngest, benchRecovery } from './engine.js';
import { benchHttpIngest } from './http.js';
import { benchHistory } from './history.js';
import { describeHeadway, describeSummary, startHeadwayLatency, startRelayLatency, summarize, whereTheTailGoes, type LatencyBench, type LatencySamples } from './latency.js';
import { fmt, machineLine, stolenCoreMs } from './machine.js';
import { benchSeveralNodes } from './several-nodes.js';

/** The 10,000 updates/s comparison runs in turns, Headway, BullMQ, then the relay floor, so a busy moment of the machine slows all three. */
const LATENCY_ROUNDS = 3;
const LATENCY_ROUND_SECONDS = 5;
const COMPARED_RATE = 10_000;

const { values } = parseArgs({ options: { db: { type: 'string' }, redis: { type: 'string' }, only: { type: 'string' } } });
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);

console.log(machineLine());
const runStartedAt = performance.now();
const stolenAtStart = stolenCoreMs();
console.log(`store: ${values.db?.startsWith('postgres') ? 'postgres' : 'sqlite (temp file)'}`);
const engine = wanted('engine') ? await benchEngineIngest(values.db) : null;
if (wanted('recovery')) await benchRecovery(values.db);
if (wanted('creation')) await benchCreation(values.db);
const http = wanted('http') ? await benchHttpIngest(values.db) : null;
const bull = wanted('bullmq') ? await startBullmq() : null;
const bullUpdatesPerSec = bull ? await bull.throughput() : null;
let p99s: { headway: number; bullmq: number | null; relay: number } | null = null;
if (wanted('latency')) {
  const headway = await startHeadwayLatency(values.db);
  let relay: LatencyBench | null = null;
  try {
    relay = await startRelayLatency();
    console.log(describeHeadway(1_000, [await headway.round(1_000, 4)]));
    const ours: LatencySamples[] = [];
    const theirs: number[][] = [];
    const theirsFromAcceptance: number[][] = [];
    const floor: LatencySamples[] = [];
    // Each round starts on a settled machine: the other side's flushes and backlogs are done.
    const settle = () => new Promise((r) => setTimeout(r, 1_500));
    // One round each first, not counted: the first round at this rate ran slower.
    await headway.round(COMPARED_RATE, 2);
    if (bull) await bull.latencies(COMPARED_RATE, 2);
    await relay.round(COMPARED_RATE, 2);
    for (let i = 0; i < LATENCY_ROUNDS; i++) {
      await settle();
      ours.push(await headway.round(COMPARED_RATE, LATENCY_ROUND_SECONDS));
      if (bull) {
        await settle();
        const { fromSend, fromAcceptance } = await bull.latencies(COMPARED_RATE, LATENCY_ROUND_SECONDS);
        theirs.push(fromSend);
        theirsFromAcceptance.push(fromAcceptance);
      }
      await settle();
      floor.push(await relay.round(COMPARED_RATE, LATENCY_ROUND_SECONDS));
    }
    const perRound = (rounds: number[][]) => `p99 of each round: ${rounds.map((r) => fmt(summarize([r]).p99, 1)).join(', ')} ms`;
    console.log(describeHeadway(COMPARED_RATE, ours) + `\n    ${perRound(ours.map((r) => r.latencies))}`);
    const bullmq = bull ? summarize(theirs) : null;
    if (bullmq) console.log(`bullmq QueueEvents at ${fmt(COMPARED_RATE)} updates/s (1,000 jobs, 1 subscriber): ${describeSummary(bullmq)} (${fmt(bullmq.count)} samples)\n    ${perRound(theirs)}`);
    if (bullmq) {
      // The issue counts from "report accepted"; the compared figures above count from the send,
      // which also takes in the worker's request (HTTP for Headway, a Redis command for BullMQ).
      const accepted = summarize(ours.map((r) => r.announced.map((ms, i) => ms + r.received[i]!)));
      const redis = summarize(theirsFromAcceptance);
      console.log(
        `from acceptance to the subscriber (server's or Redis's wall clock, whole ms): headway p50 ${fmt(accepted.p50, 0)} / p99 ${fmt(accepted.p99, 0)} ms, ` +
          `bullmq p50 ${fmt(redis.p50, 0)} / p99 ${fmt(redis.p99, 0)} ms`,
      );
    }
    const relayed = summarize(floor.map((r) => r.latencies));
    const relayCpu = fmt(floor.reduce((sum, r) => sum + r.cpu.server, 0) / floor.length);
    console.log(
      `relay floor at ${fmt(COMPARED_RATE)} updates/s (same reporter, subscribers and messages; no validation, store or ETA): ${describeSummary(relayed)}; server CPU ${relayCpu}% of one core\n    ${whereTheTailGoes(floor)}\n    ${perRound(floor.map((r) => r.latencies))}`,
    );
    p99s = { headway: summarize(ours.map((r) => r.latencies)).p99, bullmq: bullmq?.p99 ?? null, relay: relayed.p99 };
  } finally {
    await headway.stop();
    await relay?.stop();
  }
}
await bull?.stop();
// Two nodes need PostgreSQL; Redis is --redis, or a throwaway one (several-nodes.ts).
if (values.db?.startsWith('postgres') && wanted('nodes')) await benchSeveralNodes(values.db, values.redis);
if (wanted('history')) await benchHistory(values.db);
if (values.db?.startsWith('postgres')) await dropFreshSchemas(values.db);

if (bullUpdatesPerSec) {
  console.log('\nratios in this run (targets in brackets):');
  if (http) console.log(`  batched HTTP / bare fastify  ${fmt(http.headwayBatched! / http.bareReportsPerSec!, 2)}  [≥ 0.5]`);
  if (http) console.log(`  batched HTTP / bullmq        ${fmt(http.headwayBatched! / bullUpdatesPerSec, 2)}  [≥ 1.0]`);
  if (engine) console.log(`  in-process / bullmq          ${fmt(engine.ticksPerSec! / bullUpdatesPerSec, 2)}  [≥ 2.0]`);
  if (p99s?.bullmq) console.log(`  p99 at 10k/s (${LATENCY_ROUNDS} rounds each, in turns): headway ${fmt(p99s.headway, 1)} ms vs bullmq ${fmt(p99s.bullmq, 1)} ms  [headway ≤ bullmq]; relay floor ${fmt(p99s.relay, 1)} ms`);
}
// On a VM a busy host takes core time from every process here, Headway and references alike.
const stolen = (100 * (stolenCoreMs() - stolenAtStart)) / ((performance.now() - runStartedAt) * cpus().length);
console.log(`\nstolen by the hypervisor over this run: ${fmt(stolen, 1)}% of core time (idle here: under 1%)`);
process.exit(0);
