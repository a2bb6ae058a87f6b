import { expect, it } from 'vitest';
import type { JobEvent } from '@headway/protocol';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

export function eventTests(ctx: StoreContext): void {
  it('events of one job come oldest first after a seq, up to a limit', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    for (let seq = 1; seq <= 5; seq++) {
      await ctx.store().jobs.commit({ id: job!.id, expectedSeq: seq, patch: {}, events: [{ kind: 'milestone', percent: seq * 10 }] }, 2_000 + seq);
    }
    const after2 = await ctx.store().jobs.events(job!.id, 2, 2);
    expect(after2).toEqual([
      { kind: 'milestone', percent: 20, jobId: job!.id, seq: 3, at: 2_002, cursor: expect.any(Number) },
      { kind: 'milestone', percent: 30, jobId: job!.id, seq: 4, at: 2_003, cursor: expect.any(Number) },
    ]);
    expect(await ctx.store().jobs.events(job!.id, 6, 10)).toEqual([]);
  });

  it('eventsSince returns every job’s events in cursor order, resumable from any cursor, and filtered by owner', async () => {
    const [ann, bob] = await seed(ctx.store(), [makeJob({ owner: 'ann' }), makeJob({ owner: 'bob' })]);
    const seqs = new Map([
      [ann!.id, 1],
      [bob!.id, 1],
    ]);
    for (let i = 0; i < 6; i++) {
      const job = i % 3 === 0 ? bob! : ann!;
      const seq = seqs.get(job.id)!;
      await ctx.store().jobs.commit({ id: job.id, expectedSeq: seq, patch: {}, events: [{ kind: 'log', level: 'info', message: `m${i}` }] }, 3_000 + i);
      seqs.set(job.id, seq + 1);
    }
    const everything = await ctx.store().jobs.eventsSince(0, 100);
    expect(everything).toHaveLength(8);
    const cursors = everything.map((e) => e.cursor!);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(everything.filter((e) => e.kind === 'log').map((e) => (e as JobEvent & { message: string }).message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);

    const resumed: JobEvent[] = [];
    for (let after = 0; ; ) {
      const page = await ctx.store().jobs.eventsSince(after, 3);
      if (page.length === 0) break;
      resumed.push(...page);
      after = page[page.length - 1]!.cursor!;
    }
    expect(resumed).toEqual(everything);

    const onlyAnn = await ctx.store().jobs.eventsSince(0, 100, 'ann');
    expect(onlyAnn.map((e) => e.jobId)).toEqual(Array(5).fill(ann!.id));
    expect(await ctx.store().jobs.eventsSince(everything[2]!.cursor!, 100, 'bob')).toEqual(everything.slice(3).filter((e) => e.jobId === bob!.id));
    expect(await ctx.store().jobs.eventsSince(0, 100, 'nobody')).toEqual([]);
  });

  it('latestCursor is 0 on an empty store and then the newest event’s cursor', async () => {
    expect(await ctx.store().jobs.latestCursor()).toBe(0);
    const [job] = await seed(ctx.store(), [makeJob()]);
    const result = await ctx.store().jobs.commit({ id: job!.id, expectedSeq: 1, patch: {}, events: [{ kind: 'checkpoint' }] }, 2_000);
    expect(result.ok && (await ctx.store().jobs.latestCursor()) === result.events[0]!.cursor).toBe(true);
    expect(await ctx.store().jobs.eventsSince(await ctx.store().jobs.latestCursor(), 10)).toEqual([]);
  });
}
