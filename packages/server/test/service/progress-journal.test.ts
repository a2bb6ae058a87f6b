import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SYSTEM } from '../../src/service/actor.js';
import { JournalAdopter, replayJournal } from '../../src/service/jobs/progress-journal.js';
import type { LeftJournal, Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/open.js';
import { progressFieldBit } from '../../src/store/progress-fields.js';
import { eventually, testNodePerTest } from '../support/node.js';

const startNode = testNodePerTest();

async function runningJob(node: Awaited<ReturnType<typeof startNode>>, total = 100): Promise<string> {
  const job = await node.headway.jobs.create({ type: 'journal', total }, SYSTEM);
  await node.headway.jobs.act(job.id, 'start', {}, SYSTEM);
  return job.id;
}

describe('the progress journal', () => {
  it('holds answered reports until a flush has written them, one row per turn of the event loop', async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const { jobs, store } = node.headway;
    const [a, b] = [await runningJob(node), await runningJob(node)];
    await Promise.all([jobs.report(a, { done: 5 }, SYSTEM), jobs.report(b, { done: 7 }, SYSTEM), jobs.reportMany([{ jobId: a, done: 6 }], SYSTEM)]);
    const rows = (await store.jobs.leftJournal()).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.patches.map((patch) => [patch.id, patch.done])).toEqual([[a, 6], [b, 7]]);
    expect((await store.jobs.get(a))!.done).toBe(0); // not flushed yet
    await node.stop(); // the last flush writes the jobs and drops the rows
    const reopened = await startNode({ config: { db: node.dbPath } });
    expect((await reopened.headway.store.jobs.leftJournal()).rows).toEqual([]);
    expect((await reopened.headway.jobs.get(a, SYSTEM)).done).toBe(6);
  });

  it('leaves no rows behind a clean stop, even for a report journaled while the last flush ran', async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const id = await runningJob(node);
    // Journaled in the next turn of the event loop: after the stop's flush has begun.
    const answered = node.headway.jobs.report(id, { done: 4 }, SYSTEM);
    await node.stop();
    await answered;
    const store = await openStore(node.dbPath);
    try {
      expect((await store.jobs.leftJournal()).rows).toEqual([]);
      expect((await store.jobs.get(id))!.done).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('is emptied by the next flush', async () => {
    const node = await startNode({ config: { flushIntervalMs: 50 } });
    const id = await runningJob(node);
    await node.headway.jobs.report(id, { done: 3 }, SYSTEM);
    await eventually(async () => ((await node.headway.store.jobs.leftJournal()).rows.length === 0 ? true : null), 5_000, 'the journal emptied by a flush');
    expect((await node.headway.store.jobs.get(id))!.done).toBe(3);
  });

  it('replays a patch only where the job has its seq and nothing newer is stored, then deletes the rows', async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const { jobs, store } = node.headway;
    const [older, fresh, moved] = [await runningJob(node), await runningJob(node), await runningJob(node)];
    const stored = await store.jobs.getMany([older, fresh, moved]);
    const at = (id: string) => stored.find((job) => job.id === id)!;
    await store.jobs.saveProgress([{ id: older, done: 50, percent: 50, updatedAt: at(older).updatedAt + 10_000 }]);
    const amounts = progressFieldBit('done') | progressFieldBit('percent') | progressFieldBit('updatedAt');
    await store.jobs.journalProgress('gone-node', [
      { record: { ...at(older), done: 20, percent: 20, updatedAt: at(older).updatedAt + 5_000 }, fields: amounts },
      { record: { ...at(fresh), done: 30, percent: 30, message: 'row 30', updatedAt: at(fresh).updatedAt + 5_000 }, fields: amounts | progressFieldBit('message') },
      { record: { ...at(moved), seq: at(moved).seq - 1, done: 40, percent: 40, updatedAt: at(moved).updatedAt + 5_000 }, fields: amounts },
    ]);
    expect(await replayJournal(store, pino({ level: 'silent' }))).toBe(2); // older and fresh met their seq; moved did not
    const after = new Map((await store.jobs.getMany([older, fresh, moved])).map((job) => [job.id, job]));
    expect(after.get(older)!.done).toBe(50);
    expect([after.get(fresh)!.done, after.get(fresh)!.message]).toEqual([30, 'row 30']);
    expect(after.get(moved)!.done).toBe(0);
    expect((await store.jobs.leftJournal()).rows).toEqual([]);
    expect((await jobs.get(fresh, SYSTEM)).status).toBe('running');
  });

  it("another node's rows older than the adoption age are abandoned (PostgreSQL; on the embedded store, this process's own files never are)", async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const { store } = node.headway;
    const job = (await store.jobs.get(await runningJob(node)))!;
    const entry = { record: { ...job, done: 9, updatedAt: job.updatedAt + 1 }, fields: progressFieldBit('done') | progressFieldBit('updatedAt') };
    await store.jobs.journalProgress('dead-node', [entry]);
    await store.jobs.journalProgress('this-node', [entry]);
    expect((await store.jobs.abandonedJournal('this-node', 60_000)).rows).toEqual([]); // young
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abandoned = await store.jobs.abandonedJournal('this-node', 50);
    if (!node.dbPath.startsWith('postgres')) return expect(abandoned.rows).toEqual([]);
    expect(abandoned.rows.map((row) => row.patches.map((patch) => patch.done))).toEqual([[9]]);
    await abandoned.clear();
    expect((await store.jobs.leftJournal()).rows).toHaveLength(1); // this node's own row stays
  });

  it('an adoption pass that fails is logged and changes nothing; the next pass writes the rows back and clears them', async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const { store } = node.headway;
    const job = (await store.jobs.get(await runningJob(node)))!;
    let cleared = 0;
    const abandoned: LeftJournal = {
      rows: [{ id: 1, patches: [{ id: job.id, seq: job.seq, done: 9, percent: 9, updatedAt: job.updatedAt + 1 }] }],
      clear: async () => void cleared++,
    };
    // The real store, but the first read of abandoned rows fails as a lost database connection would.
    let reads = 0;
    const jobs = Object.create(store.jobs) as Store['jobs'];
    jobs.abandonedJournal = async () => {
      if (reads++ === 0) throw new Error('connection terminated unexpectedly');
      return abandoned;
    };
    const logged: Array<{ level: number; msg: string; err?: { message: string } }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const adopter = new JournalAdopter({ ...store, jobs } as Store, 'this-node', 30_000, logger);

    await adopter.adopt(); // resolves: a failed pass must not stop the node
    expect(logged.map((line) => [line.level, line.msg, line.err?.message])).toEqual([[50, 'progress:journal adoption failed; will retry', 'connection terminated unexpectedly']]);
    expect([(await store.jobs.get(job.id))!.done, cleared]).toEqual([0, 0]);

    await adopter.adopt();
    expect([(await store.jobs.get(job.id))!.done, cleared]).toEqual([9, 1]);
    expect(logged.at(-1)).toMatchObject({ level: 40, msg: 'progress:journal adopted: answered progress of a node that stopped without writing it', patches: 1 });
  });

  it('refuses the reports it could not store (NOT_READY, retry), and answers the next ones', async () => {
    const node = await startNode({ config: { flushIntervalMs: 10_000 } });
    const { jobs, store } = node.headway;
    const id = await runningJob(node);
    const journalProgress = store.jobs.journalProgress;
    store.jobs.journalProgress = async () => {
      throw new Error('disk I/O error');
    };
    await expect(jobs.report(id, { done: 9 }, SYSTEM)).rejects.toMatchObject({ code: 'NOT_READY', message: expect.stringContaining('retry the report') });
    await expect(jobs.reportMany([{ jobId: id, done: 10 }], SYSTEM)).rejects.toMatchObject({ code: 'NOT_READY' });
    store.jobs.journalProgress = journalProgress;
    expect(await jobs.report(id, { done: 11 }, SYSTEM)).toMatchObject({ control: 'run' });
    const [row] = (await store.jobs.leftJournal()).rows;
    expect(row!.patches.map((patch) => patch.done)).toEqual([11]);
  });

  it('on SQLite, a process that keeps running writes back what a second process on the same file answered and never wrote before it was killed, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headway-adopt-'));
    try {
      const dbPath = join(dir, 'shared.db');
      const node = await startNode({ config: { db: dbPath, flushIntervalMs: 20, journalAdoptAfterMs: 1_000 } });
      const id = await runningJob(node);
      const second = fork(join(import.meta.dirname, '..', 'store', 'fixtures', 'report-and-wait.ts'), [dbPath, id], {
        execArgv: ['--conditions=headway-src', '--import', 'tsx'],
        stdio: 'ignore',
      });
      try {
        await new Promise((resolve, reject) => (second.once('message', resolve), second.once('exit', (code) => reject(new Error(`exited early with ${code}`)))));
        expect(readdirSync(dir).some((name) => name.startsWith(`shared.db-progress-${second.pid}-`))).toBe(true);
      } finally {
        second.kill('SIGKILL');
      }
      await new Promise((resolve) => second.once('exit', resolve));
      expect((await node.headway.store.jobs.get(id))?.done).toBe(76); // 77 was answered, journaled, never written
      await eventually(async () => (await node.headway.store.jobs.get(id))?.done === 77, 10_000, "the dead process's report written back");
      expect(await node.headway.store.jobs.get(id)).toMatchObject({ done: 77, message: 'row 77', status: 'running' });
      // Its files go once written back (just after the rows are).
      await eventually(() => readdirSync(dir).every((name) => !name.includes(`-progress-${second.pid}-`)), 5_000, "the dead process's files deleted");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
