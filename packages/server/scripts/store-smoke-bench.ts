/**
 * Store smoke benchmark (not a test; no thresholds): how many progress patches per second
 * saveProgress absorbs in batches of 1,000, and how long requeue takes for 10,000 running jobs.
 *   node --conditions=headway-src --import tsx packages/server/scripts/store-smoke-bench.ts [db-path]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import type { JobRecord } from '../src/model/job-record.js';
import { openStore } from '../src/store/open.js';
import type { ProgressPatch, Store } from '../src/store/store.js';

const RUNNING_JOBS = 1_000;
const BATCH = 1_000;
const BATCHES = 200;
const REQUEUE_JOBS = 10_000;

function runningJob(i: number, nodeId: string): JobRecord {
  return {
    id: uuidv7(), type: 'bench', title: `bench job ${i}`, owner: null, parentId: null, tags: ['bench'], metadata: {},
    status: 'running', control: 'run', percent: 0, done: 0, total: 1_000_000, unit: 'rows',
    steps: [{ name: 'load', weight: 1, status: 'running', startedAt: 1, endedAt: null }], currentStep: 'load', message: null,
    eta: null, metrics: { ratePerSec: null, errors: 0, custom: {} }, counts: null, weight: 1, checkpoint: null, result: null,
    error: null, attempt: 1, maxAttempts: 3, runAfter: null, createdAt: i, startedAt: i, finishedAt: null, updatedAt: i,
    pausedMs: 0, seq: 0, leaseOwner: nodeId, leaseExpiresAt: Date.now() + 60_000, milestones: [],
  };
}

/** A patch as the flusher writes it: every progress field of one job. */
function patchOf(job: JobRecord, tick: number): ProgressPatch {
  const done = tick * 100;
  return {
    id: job.id, percent: done / 10_000, done, total: 1_000_000, unit: 'rows', currentStep: 'load', message: `row ${done}`,
    eta: { remainingMs: 60_000 - tick, low: 50_000, high: 70_000, confidence: 0.8, method: 'adaptive', at: tick },
    metrics: { ratePerSec: 1_234.5, errors: 0, custom: { bytes: done * 80 } }, counts: null, steps: job.steps,
    checkpoint: { row: done }, updatedAt: tick,
  };
}

async function insertAll(store: Store, jobs: JobRecord[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < jobs.length; i += 1_000) await store.jobs.insert(jobs.slice(i, i + 1_000), Date.now());
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-store-bench-'));
  const path = process.argv[2] ?? join(dir, 'bench.db');
  const store = await openStore(path);
  try {
    await store.migrate();
    console.log(`store smoke bench: ${store.dialect} at ${path}; ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);

    const running = Array.from({ length: RUNNING_JOBS }, (_, i) => runningJob(i, 'bench-ingest'));
    await insertAll(store, running);
    const batchMs: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      const patches = Array.from({ length: BATCH }, (_, i) => patchOf(running[(b * BATCH + i) % RUNNING_JOBS]!, b + 1));
      const started = performance.now();
      await store.jobs.saveProgress(patches);
      batchMs.push(performance.now() - started);
    }
    const totalMs = batchMs.reduce((a, b) => a + b, 0);
    const sorted = [...batchMs].sort((a, b) => a - b);
    console.log(
      `saveProgress: ${BATCHES} batches of ${BATCH} patches over ${RUNNING_JOBS} running jobs: ` +
        `${Math.round((BATCHES * BATCH) / (totalMs / 1_000)).toLocaleString('en')} patches/s ` +
        `(batch median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)} ms)`,
    );

    const leased = Array.from({ length: REQUEUE_JOBS }, (_, i) => runningJob(RUNNING_JOBS + i, 'bench-node'));
    const insertMs = await insertAll(store, leased);
    console.log(`insert: ${REQUEUE_JOBS.toLocaleString('en')} jobs in ${insertMs.toFixed(0)} ms (batches of 1,000)`);
    const started = performance.now();
    const requeued = await store.jobs.requeue({ nodeId: 'bench-node', now: Date.now() });
    console.log(`requeue: ${requeued.length.toLocaleString('en')} running jobs → queued with events in ${(performance.now() - started).toFixed(0)} ms (one transaction)`);

    const claimStarted = performance.now();
    let claimed = 0;
    while (claimed < 2_000 && (await store.jobs.claim({ type: 'bench', nodeId: 'bench-node', leaseExpiresAt: Date.now() + 60_000, now: Date.now() }))) claimed++;
    const claimMs = performance.now() - claimStarted;
    console.log(`claim: ${claimed.toLocaleString('en')} claims, one at a time: ${Math.round(claimed / (claimMs / 1_000)).toLocaleString('en')} claims/s`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
