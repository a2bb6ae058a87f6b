import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { PgDb, Sql } from '../../src/store/postgres/pg-db.js';
import type { JobChange, JobPatch, Store } from '../../src/store/store.js';
import { serviceUrl } from '../support/services.js';
import { postgresTestSchemas } from '../support/store-databases.js';
import { makeJob, seed } from './fixtures.js';

const pgUrl = serviceUrl('pgUrl');
const schemas = postgresTestSchemas(pgUrl, 'grouped');
afterAll(() => schemas.dropAll());

/** A store whose grouped statements (those that lock rows in id order) are counted. */
async function openCounting(store?: Store): Promise<{ store: Store; groups: () => number }> {
  const opened = store ? await schemas.openSame(store) : await schemas.openFresh();
  if (!store) await opened.migrate();
  const db = (opened as unknown as { db: PgDb }).db;
  let groups = 0;
  const all = db.all.bind(db);
  db.all = <R>(sql: Sql, params?: unknown[], on?: Parameters<PgDb['all']>[2]) => {
    if (typeof sql === 'string' && sql.includes('row_locks') && sql.includes('INSERT INTO job_events')) groups++;
    return all<R>(sql, params, on);
  };
  return { store: opened, groups: () => groups };
}

const start = (id: string, seq: number): JobChange => ({ id, expectedSeq: seq, patch: { status: 'running', startedAt: 2_000 }, events: [{ kind: 'transition', from: 'queued', to: 'running' }] });

describe.skipIf(!pgUrl)('PostgreSQL job changes asked for together are committed in one statement', () => {
  it('commits them in one statement, each answered with its own events; cursors follow each job’s seqs', async () => {
    const { store, groups } = await openCounting();
    try {
      const jobs = await seed(store, Array.from({ length: 20 }, () => makeJob()));
      const answers = await Promise.all(
        jobs.map((job) =>
          store.jobs.commit({ ...start(job.id, job.seq), events: [{ kind: 'transition', from: 'queued', to: 'running' }, { kind: 'step', name: 'fetch', status: 'running' }] }, 2_000),
        ),
      );
      expect(groups()).toBe(1);
      answers.forEach((answer, i) => {
        expect(answer).toEqual({
          ok: true,
          events: [
            { kind: 'transition', from: 'queued', to: 'running', jobId: jobs[i]!.id, seq: 2, at: 2_000, cursor: expect.any(Number) },
            { kind: 'step', name: 'fetch', status: 'running', jobId: jobs[i]!.id, seq: 3, at: 2_000, cursor: expect.any(Number) },
          ],
        });
        if (answer.ok) expect(answer.events[1]!.cursor!).toBeGreaterThan(answer.events[0]!.cursor!);
      });
      const cursors = answers.flatMap((answer) => (answer.ok ? answer.events.map((event) => event.cursor!) : []));
      expect(new Set(cursors).size).toBe(40);
      // What a reader resuming by cursor sees: every event, each job's in seq order.
      const since = await store.jobs.eventsSince(Math.min(...cursors) - 1, 100);
      expect(since).toHaveLength(40);
      for (const job of jobs) expect(since.filter((event) => event.jobId === job.id).map((event) => event.seq)).toEqual([2, 3]);
      for (const job of jobs) expect(await store.jobs.get(job.id)).toEqual({ ...job, status: 'running', startedAt: 2_000, seq: 3 });
    } finally {
      await store.close();
    }
  });

  it('stores every kind of field as a change alone does (JSON values, nulls, numbers, text)', async () => {
    const { store, groups } = await openCounting();
    try {
      const patches: JobPatch[] = [
        { status: 'failed', finishedAt: 9_000, error: { message: 'disk full', code: 'ENOSPC', attempt: 1, at: 9_000 }, eta: null, percent: 41.5 },
        { status: 'completed', finishedAt: 9_000, result: 'a plain string', percent: 100, done: 12, total: 12, unit: 'files' },
        { status: 'completed', finishedAt: 9_000, result: null, metrics: { ratePerSec: 3.5, errors: 1, custom: { rows: 7 } } },
        { message: 'halfway', currentStep: 'upload', steps: [{ name: 'upload', weight: 1, status: 'running', startedAt: 3_000, finishedAt: null }] as never, checkpoint: [1, 'two', { three: 3 }] as never },
        { control: 'pause', pausedAt: 4_000, pausedMs: 250, attempt: 2, runAfter: null, leaseOwner: null, leaseExpiresAt: null },
      ];
      const alone = await seed(store, patches.map(() => makeJob()));
      const together = await seed(store, patches.map(() => makeJob()));
      for (const [i, patch] of patches.entries()) await store.jobs.commit({ id: alone[i]!.id, expectedSeq: alone[i]!.seq, patch, events: [{ kind: 'log', level: 'info', message: 'x' }] }, 9_000);
      const before = groups();
      await Promise.all(patches.map((patch, i) => store.jobs.commit({ id: together[i]!.id, expectedSeq: together[i]!.seq, patch, events: [{ kind: 'log', level: 'info', message: 'x' }] }, 9_000)));
      expect(groups() - before).toBe(1);
      for (const i of patches.keys()) {
        const [one, grouped] = [await store.jobs.get(alone[i]!.id), await store.jobs.get(together[i]!.id)];
        expect({ ...grouped, id: 'same' }).toEqual({ ...one, id: 'same' });
        expect(one).toMatchObject(patches[i]!);
      }
    } finally {
      await store.close();
    }
  });

  it('a change the database refuses fails alone; a lost race is answered with the seq that won; the others commit', async () => {
    const { store } = await openCounting();
    try {
      const [a, b, c, d] = await seed(store, [makeJob(), makeJob(), makeJob(), makeJob()]);
      const [okA, bad, raced, okD] = await Promise.allSettled([
        store.jobs.commit(start(a!.id, a!.seq), 2_000),
        // The CHECK on status refuses it, and with it the whole statement: the group is retried one by one.
        store.jobs.commit({ id: b!.id, expectedSeq: b!.seq, patch: { status: 'exploded' as never }, events: [{ kind: 'transition', from: 'queued', to: 'running' }] }, 2_000),
        store.jobs.commit(start(c!.id, c!.seq + 5), 2_000),
        store.jobs.commit(start(d!.id, d!.seq), 2_000),
      ]);
      expect(okA).toMatchObject({ status: 'fulfilled', value: { ok: true, events: [{ seq: 2 }] } });
      expect(bad).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/check constraint/i) } });
      expect(raced).toEqual({ status: 'fulfilled', value: { ok: false, currentSeq: c!.seq } });
      expect(okD).toMatchObject({ status: 'fulfilled', value: { ok: true, events: [{ seq: 2 }] } });
      expect((await store.jobs.getMany([a!.id, b!.id, c!.id, d!.id])).map((job) => job.status)).toEqual(['running', 'queued', 'queued', 'running']);
      expect(await store.jobs.events(b!.id, 0, 10)).toHaveLength(1); // its created event only
    } finally {
      await store.close();
    }
  });

  it('a row another transaction holds is left out of the group: the others are answered at once, that one once the row is free', async () => {
    const { store } = await openCounting();
    try {
      const [a, b, c] = await seed(store, [makeJob(), makeJob(), makeJob()]);
      const holder = new pg.Client({ connectionString: pgUrl! });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT id FROM ${schemas.schemaOf(store)}.jobs WHERE id = $1 FOR UPDATE`, [b!.id]);
        const answered: string[] = [];
        const commits = [a!, b!, c!].map((job) => store.jobs.commit(start(job.id, job.seq), 2_000).then((answer) => (answered.push(job.id), answer)));
        await Promise.all([commits[0], commits[2]]);
        expect(answered).toEqual(expect.arrayContaining([a!.id, c!.id]));
        expect(answered).not.toContain(b!.id);
        await holder.query('COMMIT');
        expect(await commits[1]).toMatchObject({ ok: true, events: [{ seq: 2 }] });
      } finally {
        await holder.end();
      }
    } finally {
      await store.close();
    }
  });

  it('two nodes changing the same jobs in groups, while both flush their progress, never deadlock and never lose a change', async () => {
    const first = await openCounting();
    const second = await openCounting(first.store);
    try {
      const jobs = await seed(first.store, Array.from({ length: 30 }, () => makeJob()));
      const seqs = new Map(jobs.map((job) => [job.id, job.seq]));
      const committed = new Map(jobs.map((job) => [job.id, 0]));
      // Each round: every job changed on both nodes at once, in opposite orders, beside a flush of all of them on each.
      for (let round = 0; round < 15; round++) {
        const change = (store: Store, id: string) =>
          store.jobs.commit({ id, expectedSeq: seqs.get(id)!, patch: { message: `round ${round}` }, events: [{ kind: 'log', level: 'info', message: `round ${round}` }] }, 2_000 + round);
        const flush = (store: Store, order: typeof jobs) => store.jobs.saveProgress(order.map((job) => ({ id: job.id, done: round, updatedAt: 2_000 + round })));
        const reversed = [...jobs].reverse();
        const [answersA, answersB] = await Promise.all([
          Promise.all(jobs.map((job) => change(first.store, job.id))),
          Promise.all(reversed.map((job) => change(second.store, job.id))),
          flush(first.store, jobs),
          flush(second.store, reversed),
        ]);
        const byJob = new Map<string, boolean[]>();
        jobs.forEach((job, i) => byJob.set(job.id, [answersA[i]!.ok, answersB[jobs.length - 1 - i]!.ok]));
        for (const [id, oks] of byJob) {
          // Both asked with the same seq: exactly one wins, the other is told the seq that won.
          expect(oks.filter(Boolean)).toHaveLength(1);
          committed.set(id, committed.get(id)! + 1);
          seqs.set(id, seqs.get(id)! + 1);
        }
      }
      expect(first.groups() + second.groups()).toBeGreaterThanOrEqual(15);
      for (const job of await first.store.jobs.getMany(jobs.map((j) => j.id))) {
        expect(job.seq).toBe(1 + committed.get(job.id)!);
        expect(job.done).toBe(14);
        expect(await first.store.jobs.events(job.id, 0, 100)).toHaveLength(1 + committed.get(job.id)!);
      }
    } finally {
      await second.store.close();
      await first.store.close();
    }
  });

  it('closing the store writes the changes already asked for', async () => {
    const { store } = await openCounting();
    const [a, b] = await seed(store, [makeJob(), makeJob()]);
    const answers = Promise.all([store.jobs.commit(start(a!.id, a!.seq), 2_000), store.jobs.commit(start(b!.id, b!.seq), 2_000)]);
    await store.close();
    expect((await answers).map((answer) => answer.ok)).toEqual([true, true]);
    const reopened = await schemas.openSame(store);
    try {
      expect((await reopened.jobs.getMany([a!.id, b!.id])).map((job) => job.status)).toEqual(['running', 'running']);
    } finally {
      await reopened.close();
    }
  });
});
