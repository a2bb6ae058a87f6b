/**
 * `npm run bench [-- --db postgres://…] [-- --redis redis://…] [-- --only engine,recovery,nodes]`: prints figures and the
 * machine; no thresholds. Compare ratios within one run. The script builds first: Headway runs from its
 * compiled output, as `headway serve` does (run from TypeScript sources, its server took a tenth more CPU).
 */
import { parseArgs } from 'node:util';
import { benchBullmq } from './bullmq.js';
import { benchEngineIngest, benchRecovery } from './engine.js';
import { benchHttpIngest } from './http.js';
import { benchLatency } from './latency.js';
import { fmt } from './machine.js';
import { machineLine } from './machine.js';
import { benchSeveralNodes } from './several-nodes.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, redis: { type: 'string' }, only: { type: 'string' } } });
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);

console.log(machineLine());
console.log(`store: ${values.db?.startsWith('postgres') ? 'postgres' : 'sqlite (temp file)'}`);
const engine = wanted('engine') ? await benchEngineIngest(values.db) : null;
if (wanted('recovery')) await benchRecovery(values.db);
const http = wanted('http') ? await benchHttpIngest(values.db) : null;
const latency = wanted('latency') ? await benchLatency(values.db) : null;
const bull = wanted('bullmq') ? await benchBullmq() : null;
// Two nodes need PostgreSQL; Redis is --redis, or a throwaway one (several-nodes.ts).
if (values.db?.startsWith('postgres') && wanted('nodes')) await benchSeveralNodes(values.db, values.redis);

if (bull) {
  console.log('\nratios in this run (targets in brackets):');
  if (http) console.log(`  batched HTTP / bare fastify  ${fmt(http.headwayBatched! / http.bareReportsPerSec!, 2)}  [≥ 0.5]`);
  if (http) console.log(`  batched HTTP / bullmq        ${fmt(http.headwayBatched! / bull.updatesPerSec, 2)}  [≥ 1.0]`);
  if (engine) console.log(`  in-process / bullmq          ${fmt(engine.ticksPerSec! / bull.updatesPerSec, 2)}  [≥ 2.0]`);
  if (latency) console.log(`  p99 at 10k/s: headway ${fmt(latency.p99_10000!, 1)} ms vs bullmq ${fmt(bull.p99, 1)} ms  [headway ≤ bullmq]`);
}
process.exit(0);
