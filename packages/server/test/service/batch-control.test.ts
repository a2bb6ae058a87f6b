import { describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/service/actor.js';
import { eventually, testNodePerTest } from '../support/node.js';

const startNode = testNodePerTest();
const alice: Actor = { kind: 'user', userId: 'alice' };

describe('actions on a batch and its children', () => {
  it('a user token cannot create children owned by someone else, and nothing is created', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const refused = jobs.create({ type: 'batch', children: [{ type: 'file' }, { type: 'file', owner: 'bob' }] }, alice);
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('in children') });
    expect((await jobs.list({}, SYSTEM)).items).toEqual([]);
    const batch = await jobs.create({ type: 'batch', children: [{ type: 'file' }, { type: 'file', owner: 'alice' }] }, alice);
    const children = (await jobs.list({ parentId: batch.id }, SYSTEM)).items;
    expect(children.map((child) => child.owner)).toEqual(['alice', 'alice']);
  });

  it("a user's pause or cancel of a batch leaves the children it cannot see alone", async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'batch', owner: 'alice', children: [{ type: 'file' }, { type: 'file', owner: 'bob' }] }, SYSTEM);
    const [own, foreign] = (await jobs.list({ parentId: batch.id, sort: 'createdAt' }, SYSTEM)).items;
    expect([own!.owner, foreign!.owner]).toEqual(['alice', 'bob']);
    await jobs.act(batch.id, 'pause', {}, alice);
    expect((await jobs.get(own!.id, SYSTEM)).status).toBe('paused');
    expect((await jobs.get(foreign!.id, SYSTEM)).status).toBe('queued');
    await jobs.act(batch.id, 'cancel', {}, alice);
    expect((await jobs.get(own!.id, SYSTEM)).status).toBe('cancelled');
    expect((await jobs.get(foreign!.id, SYSTEM)).status).toBe('queued');
    // The admin's cancel still reaches every child.
    const other = await jobs.create({ type: 'batch', owner: 'alice', children: [{ type: 'file', owner: 'bob' }] }, SYSTEM);
    await jobs.act(other.id, 'cancel', {}, SYSTEM);
    expect((await jobs.list({ parentId: other.id }, SYSTEM)).items.map((child) => child.status)).toEqual(['cancelled']);
  });

  it('retrying a cancelled batch queues its failed and cancelled children again, and the batch can then complete', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'batch', children: [{ type: 'file' }, { type: 'file' }, { type: 'file' }] }, SYSTEM);
    const [first, second, third] = (await jobs.list({ parentId: batch.id, sort: 'createdAt' }, SYSTEM)).items;
    await jobs.act(first!.id, 'start', {}, SYSTEM);
    await jobs.act(first!.id, 'complete', {}, SYSTEM);
    await jobs.act(second!.id, 'start', {}, SYSTEM);
    await jobs.act(second!.id, 'fail', { error: { message: 'bad file' }, retry: false }, SYSTEM);
    await jobs.act(batch.id, 'cancel', {}, SYSTEM);
    expect((await jobs.get(third!.id, SYSTEM)).status).toBe('cancelled');
    // The running batch took the cancel as a request; its children's roll-up then finishes it.
    await eventually(async () => ((await jobs.get(batch.id, SYSTEM)).status === 'cancelled' ? true : null), 5_000, 'the batch cancelled');

    expect((await jobs.act(batch.id, 'retry', {}, SYSTEM)).status).toBe('queued');
    const statuses = async () => (await jobs.list({ parentId: batch.id, sort: 'createdAt' }, SYSTEM)).items.map((child) => child.status);
    expect(await statuses()).toEqual(['completed', 'queued', 'queued']);
    for (const child of [second!, third!]) {
      await jobs.act(child.id, 'start', {}, SYSTEM);
      await jobs.act(child.id, 'complete', {}, SYSTEM);
    }
    const done = await eventually(async () => {
      const parent = await jobs.get(batch.id, SYSTEM);
      return parent.status === 'completed' && parent.counts?.completed === 3 ? parent : null;
    }, 5_000, 'the retried batch completes, all three children counted completed');
    expect(done.counts).toMatchObject({ total: 3, completed: 3, failed: 0, cancelled: 0 });
  });
});

describe('a batch inside a batch', () => {
  it("the outer batch follows the inner batch's progress, not only its status changes", async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const outer = await jobs.create({ type: 'outer', children: [{ type: 'inner' }] }, SYSTEM);
    const [inner] = (await jobs.list({ parentId: outer.id }, SYSTEM)).items;
    const leaf = await jobs.create({ type: 'leaf', parentId: inner!.id, total: 10 }, SYSTEM);
    await jobs.report(leaf.id, { done: 5 }, SYSTEM);
    await eventually(async () => ((await jobs.get(inner!.id, SYSTEM)).percent === 50 ? true : null), 5_000, 'the inner batch at 50%');
    await eventually(async () => ((await jobs.get(outer.id, SYSTEM)).percent === 50 ? true : null), 5_000, 'the outer batch at 50%');
    // Now the inner batch moves without a status change (it is running already).
    await jobs.report(leaf.id, { done: 8 }, SYSTEM);
    await eventually(async () => ((await jobs.get(inner!.id, SYSTEM)).percent === 80 ? true : null), 5_000, 'the inner batch at 80%');
    await eventually(async () => ((await jobs.get(outer.id, SYSTEM)).percent === 80 ? true : null), 5_000, 'the outer batch at 80%');
  });
});

describe('work over many jobs lets other work run in between', () => {
  /** Whether a timer set when `work` starts fires before it ends: on SQLite a loop of store calls never yielded by itself. */
  async function timerFiresDuring(work: () => Promise<unknown>): Promise<boolean> {
    let finished = false;
    let firedDuring = false;
    setTimeout(() => (firedDuring = !finished), 0);
    await work();
    finished = true;
    return firedDuring;
  }

  it("cancelling a batch of 200 and reporting for 200 queued jobs at once", async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'batch', children: Array.from({ length: 200 }, () => ({ type: 'file' })) }, SYSTEM);
    expect(await timerFiresDuring(() => jobs.act(batch.id, 'cancel', {}, SYSTEM))).toBe(true);
    expect((await jobs.list({ parentId: batch.id, status: 'cancelled', limit: 500 }, SYSTEM)).items).toHaveLength(200);
    const queued = await Promise.all(Array.from({ length: 200 }, () => jobs.create({ type: 'file' }, SYSTEM)));
    expect(await timerFiresDuring(() => jobs.reportMany(queued.map((job) => ({ jobId: job.id, done: 1 })), SYSTEM))).toBe(true);
  });

  it('creating a batch of 2,000 children: read back and announced in parts, each child once', async () => {
    const node = await startNode();
    const { jobs, bus } = node.headway;
    const created = new Map<string, number>();
    bus.subscribe((message) => {
      if (message.type === 'event' && message.event.kind === 'created') created.set(message.event.jobId, (created.get(message.event.jobId) ?? 0) + 1);
    });
    let batch: { id: string } | undefined;
    expect(await timerFiresDuring(async () => (batch = await jobs.create({ type: 'batch', children: Array.from({ length: 2_000 }, () => ({ type: 'file' })) }, SYSTEM)))).toBe(true);
    const children = (await jobs.list({ parentId: batch!.id, limit: 500 }, SYSTEM)).items;
    expect(children).toHaveLength(500);
    expect(created.size).toBe(2_001);
    expect([...created.values()].every((count) => count === 1)).toBe(true);
  });
});

describe('what a user token asks for and what is refused', () => {
  it("a user listing another owner's jobs gets none, not its own", async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    await jobs.create({ type: 'owned' }, alice);
    await jobs.create({ type: 'owned', owner: 'bob' }, SYSTEM);
    expect((await jobs.list({ owner: 'bob' }, alice)).items).toEqual([]);
    expect((await jobs.list({ owner: 'alice' }, alice)).items.map((job) => job.owner)).toEqual(['alice']);
  });

  it('a list from after its to is refused rather than answered empty', async () => {
    const node = await startNode();
    await expect(node.headway.jobs.list({ from: 2_000, to: 1_000 }, alice)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('"from" (2000) is after "to" (1000)') });
    expect((await node.headway.jobs.list({ from: 1_000, to: 1_000 }, alice)).items).toEqual([]);
  });

  it('two steps of the same name are refused, in a job or a child, and nothing is created', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const steps = [{ name: 'upload' }, { name: 'upload' }];
    await expect(jobs.create({ type: 'video', steps }, SYSTEM)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('step "upload" appears twice') });
    await expect(jobs.create({ type: 'batch', children: [{ type: 'video', steps }] }, SYSTEM)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await jobs.list({}, SYSTEM)).items).toEqual([]);
  });
});

describe('a refused progress report changes nothing', () => {
  it('does not start a queued job, alone or in a batch of reports', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const single = await jobs.create({ type: 'import', total: 10 }, SYSTEM);
    await expect(jobs.report(single.id, { done: 50 }, SYSTEM)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const batched = await jobs.create({ type: 'import', total: 10 }, SYSTEM);
    const answers = await jobs.reportMany([{ jobId: batched.id, done: 50 }], SYSTEM);
    expect(answers[0]).toMatchObject({ jobId: batched.id, error: { code: 'VALIDATION_FAILED' } });
    for (const id of [single.id, batched.id]) {
      const job = await jobs.get(id, SYSTEM);
      expect(job).toMatchObject({ status: 'queued', startedAt: null, done: 0 });
      expect((await jobs.events(id, 0, 100, SYSTEM)).map((event) => event.kind)).toEqual(['created']);
    }
  });
});

describe('a running batch has an ETA and a rate, from its children', () => {
  it('ten files finished one a second: about 1 file/s, and the ETA counts the rest down with a range around it', async () => {
    let clock = 1_000_000;
    const node = await startNode({ headway: { now: () => clock } });
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'upload.batch', unit: 'files', children: Array.from({ length: 20 }, () => ({ type: 'upload.file', maxAttempts: 1 })) }, SYSTEM);
    const children = (await jobs.list({ parentId: batch.id, sort: 'createdAt', limit: 20 }, SYSTEM)).items;
    for (const child of children) await jobs.act(child.id, 'start', {}, SYSTEM);
    for (let finished = 1; finished <= 10; finished++) {
      clock += 1_000;
      await jobs.act(children[finished - 1]!.id, finished % 5 === 0 ? 'fail' : 'complete', finished % 5 === 0 ? { error: { message: 'checksum mismatch' } } : {}, SYSTEM);
      await eventually(async () => {
        const counts = (await jobs.get(batch.id, SYSTEM)).counts;
        return counts && counts.completed + counts.failed === finished ? true : null;
      }, 5_000, `the batch counting ${finished} finished`);
    }
    clock += 300; // past the estimate's refresh interval
    const parent = await jobs.get(batch.id, SYSTEM);
    expect(parent.status).toBe('running');
    expect(parent.metrics.ratePerSec).toBeGreaterThan(0.8);
    expect(parent.metrics.ratePerSec).toBeLessThan(1.2);
    expect(parent.eta).not.toBeNull();
    // Half done in 10 s of work: about 10 s to go.
    expect(parent.eta!.remainingMs).toBeGreaterThan(7_000);
    expect(parent.eta!.remainingMs).toBeLessThan(13_000);
    expect(parent.eta!.low).toBeLessThanOrEqual(parent.eta!.remainingMs);
    expect(parent.eta!.high).toBeGreaterThanOrEqual(parent.eta!.remainingMs);
  });
});

describe('a batch records milestones as its children finish', () => {
  it('25% and 50% once each while it runs, none extra when it completes', async () => {
    const node = await startNode();
    const { jobs } = node.headway;
    const batch = await jobs.create({ type: 'upload.batch', children: Array.from({ length: 4 }, () => ({ type: 'upload.file' })) }, SYSTEM);
    const children = (await jobs.list({ parentId: batch.id, sort: 'createdAt' }, SYSTEM)).items;
    const milestones = async () => (await jobs.events(batch.id, 0, 100, SYSTEM)).flatMap((event) => (event.kind === 'milestone' ? [event.percent] : []));
    for (const [i, child] of children.entries()) {
      await jobs.act(child.id, 'start', {}, SYSTEM);
      await jobs.act(child.id, 'complete', {}, SYSTEM);
      const expected = [[25], [25, 50], [25, 50, 75], [25, 50, 75]][i]!;
      await eventually(async () => (JSON.stringify(await milestones()) === JSON.stringify(expected) ? true : null), 5_000, `milestones ${expected.join(', ')}`);
    }
    await eventually(async () => ((await jobs.get(batch.id, SYSTEM)).status === 'completed' ? true : null), 5_000, 'the batch completed');
    expect(await milestones()).toEqual([25, 50, 75]);
  });
});
