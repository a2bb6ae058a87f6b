import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeadway } from '../../src/create-headway.js';
import { SYSTEM } from '../../src/service/actor.js';
import { eventually, testConfig, testNodePerTest } from '../support/node.js';

const JOBS = 24;
const ITEMS = 30;
const worker = join(import.meta.dirname, 'fixtures', 'crash-worker.ts');
const startNode = testNodePerTest();
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startWorker(dbPath: string, logPath: string): Promise<ChildProcess> {
  const child = fork(worker, [dbPath, logPath], { execArgv: ['--conditions=headway-src', '--import', 'tsx'], stdio: 'ignore' });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function processedCounts(logPath: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(logPath)) return counts;
  for (const line of readFileSync(logPath, 'utf8').split('\n')) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

describe('crash recovery', () => {
  it('jobs killed mid-way by SIGKILL finish after a restart with no lost transition and each item processed once more at most', async () => {
    // Create the jobs with an in-process node, then hand the database file to a worker process.
    const node = await startNode();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await node.headway.jobs.create({ type: 'crash.items', title: `job ${i}`, total: ITEMS }, SYSTEM)).id);
    await node.stop();
    const logPath = join(node.dir, 'processed.log');

    const first = await startWorker(node.dbPath, logPath);
    await eventually(() => processedCounts(logPath).size >= (JOBS * ITEMS) / 3, 30_000, 'a third of the items processed');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const beforeRestart = processedCounts(logPath).size;
    expect(beforeRestart).toBeLessThan(JOBS * ITEMS);

    const second = await startWorker(node.dbPath, logPath);
    // Read the outcome through a fresh node on the same file (no runtime handlers registered).
    const observed = testConfig({ db: node.dbPath });
    const observer = await createHeadway(observed.config, { logger: pino({ level: 'silent' }) });
    try {
      await eventually(async () => {
        const jobs = await Promise.all(ids.map((id) => observer.jobs.get(id, SYSTEM)));
        return jobs.every((j) => j.status === 'completed');
      }, 60_000, 'every job completed after the restart');

      const counts = processedCounts(logPath);
      for (const id of ids) {
        for (let item = 0; item < ITEMS; item++) {
          const times = counts.get(`${id} ${item}`) ?? 0;
          expect(times, `job ${id} item ${item}`).toBeGreaterThanOrEqual(1);
          expect(times, `job ${id} item ${item}`).toBeLessThanOrEqual(2);
        }
        const events = await observer.jobs.events(id, 0, 1000, SYSTEM);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // no gap in the audit trail
        const transitions = events.flatMap((e) => (e.kind === 'transition' ? [e] : []));
        for (let i = 1; i < transitions.length; i++) expect(transitions[i]!.from).toBe(transitions[i - 1]!.to);
        expect(transitions.at(-1)?.to).toBe('completed');
      }
    } finally {
      await observer.stop();
      rmSync(observed.dir, { recursive: true, force: true });
      second.kill('SIGKILL');
    }
  }, 180_000);
});
