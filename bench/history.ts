import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from '../packages/server/dist/config/config.js';
import { createHeadway } from '../packages/server/dist/create-headway.js';
import { buildHttpApp } from '../packages/server/dist/http/app.js';
import type { JobRecord } from '../packages/server/dist/model/job-record.js';
import { buildJobTree } from '../packages/server/dist/service/jobs/new-job.js';
import { analyzeSchema, freshSchema } from './child.js';
import { fmt } from './machine.js';

const DAY_MS = 86_400_000;
const DAYS = 30;
const TYPES = ['csv.import', 'video.render', 'docs.batch', 'files.upload', 'api.sync'];
const STEPS = ['fetch', 'transform', 'load'];
const INSERT_BATCH = 5_000;
const RUNS = 5;

/** A finished (or, one in a thousand, running) job of the 30 days kept, with timed steps. */
function historicJob(i: number, count: number, now: number): JobRecord {
  const createdAt = now - DAYS * DAY_MS + Math.floor((i * DAYS * DAY_MS) / count);
  const type = TYPES[i % TYPES.length]!;
  const [job] = buildJobTree({ type, title: `${type} #${i} customers-${i % 997}.csv`, steps: STEPS.map((name) => ({ name })), total: 1000 }, `user-${i % 50}`, createdAt);
  const running = i % 1000 === 3;
  const failed = !running && i % 50 === 7;
  const workMs = 60_000 + (i % 13) * 10_000;
  const startedAt = createdAt + 1_000;
  const finishedAt = running ? null : startedAt + workMs;
  const stepMs = workMs / STEPS.length;
  return {
    ...job!,
    status: running ? 'running' : failed ? 'failed' : 'completed',
    startedAt,
    finishedAt,
    updatedAt: finishedAt ?? now,
    activeAt: finishedAt ?? now,
    done: failed ? 400 : 1000,
    percent: running ? 50 : failed ? 40 : 100,
    message: `row ${i % 200_000} of 200,000`,
    error: failed ? { message: `upstream timeout after ${i % 30} retries`, code: 'TIMEOUT', attempt: 1, at: finishedAt! } : null,
    steps: job!.steps.map((step, s) => ({ ...step, status: 'done', startedAt: startedAt + s * stepMs, endedAt: startedAt + (s + 1) * stepMs })),
  };
}

/** The rows of an answer: a list, or the first list it holds (`items`, `types`, `buckets`, `steps`). */
function rowsOf(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const list = Object.values(body as Record<string, unknown>).find(Array.isArray);
  return list ? list.length : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** The longest the event loop went without running a 1 ms timer while `work` ran (ms). */
async function loopHeldDuring<T>(work: () => Promise<T>): Promise<{ result: T; heldMs: number }> {
  let last = performance.now();
  let heldMs = 0;
  const timer = setInterval(() => {
    const at = performance.now();
    heldMs = Math.max(heldMs, at - last);
    last = at;
  }, 1);
  try {
    const result = await work();
    heldMs = Math.max(heldMs, performance.now() - last);
    return { result, heldMs };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Searching and filtering 30 days of history, as the dashboard's job list and analytics pages do,
 * through the HTTP routes (in process) over `count` jobs: the median of RUNS calls each, and how
 * long the event loop (every report and live update of the node) was held by the slowest of them.
 */
export async function benchHistory(db: string | undefined, count = 300_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-history-'));
  const adminKey = 'hw_admin_bench_history_0123456789';
  const schemaUrl = db ? freshSchema(db) : null;
  const config = Value.Default(ConfigSchema, { db: schemaUrl ?? join(dir, 'history.db'), adminKey, logLevel: 'silent', rateLimitPerMinute: 0 }) as Config;
  const headway = await createHeadway(config, { logger: pino({ level: 'silent' }) });
  await headway.start();
  const app = await buildHttpApp(headway, { dashboardDir: null });
  try {
    const now = Date.now();
    const insertStarted = performance.now();
    for (let i = 0; i < count; i += INSERT_BATCH) {
      await headway.store.jobs.insert(Array.from({ length: Math.min(INSERT_BATCH, count - i) }, (_, k) => historicJob(i + k, count, now)), now);
    }
    const inserted = performance.now();
    // What the node's indexer does within 2 s of jobs finishing, done here at once: the calls are
    // timed on the history as a running node keeps it.
    let indexedJobs = 0;
    for (let batch; (batch = await headway.store.jobs.indexFinishedTexts(500)) > 0; ) indexedJobs += batch;
    if (schemaUrl) await analyzeSchema(schemaUrl);
    console.log(
      `history (${headway.store.dialect}): ${fmt(count)} jobs over ${DAYS} days inserted in ${fmt((inserted - insertStarted) / 1000, 1)} s` +
        (indexedJobs > 0 ? `, their text indexed in ${fmt((performance.now() - inserted) / 1000, 1)} s` : ''),
    );
    const from = now - DAYS * DAY_MS;
    const calls: Array<[string, string]> = [
      ['newest 50', '/v1/jobs?limit=50'],
      ['status=running', '/v1/jobs?status=running&limit=50'],
      ['status=failed', '/v1/jobs?status=failed&limit=50'],
      ['type + owner', '/v1/jobs?type=docs.batch&owner=user-7&limit=50'],
      ['search, common word', '/v1/jobs?q=customers&limit=50'],
      ['search, rare word', `/v1/jobs?q=${encodeURIComponent('customers-996.csv')}&limit=50`],
      ['search, no match', '/v1/jobs?q=nowhere-to-be-found&limit=50'],
      ['analytics: types', `/v1/analytics/types?from=${from}&to=${now}`],
      ['analytics: throughput', `/v1/analytics/throughput?from=${from}&to=${now}&bucket=1d`],
      ['analytics: steps', `/v1/analytics/steps?type=video.render&from=${from}&to=${now}`],
    ];
    for (const [name, url] of calls) {
      await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${adminKey}` } }); // not counted: the first call prepares its statements
      const times: number[] = [];
      let held = 0;
      let items = 0;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const { result, heldMs } = await loopHeldDuring(() => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${adminKey}` } }));
        times.push(performance.now() - started);
        held = Math.max(held, heldMs);
        if (result.statusCode !== 200) throw new Error(`${url} answered ${result.statusCode}: ${result.body}`);
        items = rowsOf(result.json());
      }
      console.log(`  ${name.padEnd(24)}${fmt(median(times), 1).padStart(8)} ms  (${items} rows; event loop held at most ${fmt(held, 1)} ms)`);
    }
  } finally {
    await app.close();
    await headway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
