import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeJob } from './fixtures.js';

const WORKER = fileURLToPath(new URL('./fixtures/claim-worker.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'headway-claims-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Resolves with each line the child prints, in order; rejects if it exits with an error first. */
function linesOf(child: ChildProcessWithoutNullStreams): AsyncIterator<string> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code) => {
    if (code !== 0) child.stdout.destroy(new Error(`claim worker exited with ${code}: ${stderr}`));
  });
  return createInterface({ input: child.stdout })[Symbol.asyncIterator]();
}

describe('SQLite store shared by several processes', () => {
  it('hands each job to exactly one of several processes claiming at once', async () => {
    const path = join(root, 'contended.db');
    const store = await openSqliteStore(path);
    await store.migrate();
    const jobs = Array.from({ length: 300 }, (_, i) => makeJob({ type: 'contended', createdAt: i }));
    await store.jobs.insert(jobs, 1);

    const workers = ['node-a', 'node-b', 'node-c'].map((nodeId) => {
      const child = spawn(process.execPath, ['--conditions=headway-src', '--import', 'tsx', WORKER, path, nodeId], { cwd: process.cwd() });
      return { child, lines: linesOf(child) };
    });
    try {
      for (const worker of workers) expect((await worker.lines.next()).value).toBe('ready');
      for (const worker of workers) worker.child.stdin.write('go\n');
      const perWorker = await Promise.all(workers.map(async (worker) => JSON.parse((await worker.lines.next()).value as string) as string[]));

      const all = perWorker.flat();
      expect(all).toHaveLength(jobs.length);
      expect(new Set(all).size).toBe(jobs.length);
      const running = await store.jobs.list({ statuses: ['running'], limit: 500 });
      expect(running.items).toHaveLength(jobs.length);
      for (const job of running.items) expect(job.seq).toBe(2);
    } finally {
      for (const worker of workers) worker.child.kill();
      await store.close();
    }
  });
});
