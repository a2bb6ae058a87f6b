import { expect, it } from 'vitest';
import type { StoreContext } from '../conformance.js';
import { ids, makeJob, seed } from '../fixtures.js';

export function commitTests(ctx: StoreContext): void {
  it('applies the patch and appends the events as seq+1, seq+2, ... with the commit time', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    const result = await ctx.store().jobs.commit(
      {
        id: job!.id,
        expectedSeq: 1,
        patch: { status: 'running', startedAt: 2_000, updatedAt: 2_000, leaseOwner: 'node-a', error: null },
        events: [
          { kind: 'transition', from: 'queued', to: 'running', reason: 'started' },
          { kind: 'step', name: 'download', status: 'running' },
        ],
      },
      2_000,
    );
    expect(result).toEqual({
      ok: true,
      events: [
        { kind: 'transition', from: 'queued', to: 'running', reason: 'started', jobId: job!.id, seq: 2, at: 2_000, cursor: expect.any(Number) },
        { kind: 'step', name: 'download', status: 'running', jobId: job!.id, seq: 3, at: 2_000, cursor: expect.any(Number) },
      ],
    });
    expect(await ctx.store().jobs.get(job!.id)).toEqual({ ...job, status: 'running', startedAt: 2_000, updatedAt: 2_000, leaseOwner: 'node-a', seq: 3 });
    expect(await ctx.store().jobs.events(job!.id, 0, 10)).toEqual([
      expect.objectContaining({ kind: 'created', seq: 1 }),
      ...(result.ok ? result.events : []),
    ]);
  });

  it('a commit with a stale expectedSeq loses the race: ok false, the current seq, and nothing changed', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    const won = await ctx.store().jobs.commit({ id: job!.id, expectedSeq: 1, patch: { message: 'first' }, events: [{ kind: 'log', level: 'info', message: 'first' }] }, 2_000);
    expect(won.ok).toBe(true);
    const lost = await ctx.store().jobs.commit(
      { id: job!.id, expectedSeq: 1, patch: { status: 'cancelled', message: 'second' }, events: [{ kind: 'transition', from: 'queued', to: 'cancelled' }] },
      3_000,
    );
    expect(lost).toEqual({ ok: false, currentSeq: 2 });
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ status: 'queued', message: 'first', seq: 2 });
    expect((await ctx.store().jobs.events(job!.id, 0, 10)).map((e) => e.kind)).toEqual(['created', 'log']);
  });

  it('a commit to a job that does not exist reports currentSeq null', async () => {
    expect(await ctx.store().jobs.commit({ id: 'missing', expectedSeq: 1, patch: { message: 'x' }, events: [] }, 1)).toEqual({ ok: false, currentSeq: null });
  });

  it('of many concurrent commits with the same expectedSeq exactly one wins', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    const other = await ctx.openSame();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? ctx.store() : other).jobs.commit({ id: job!.id, expectedSeq: 1, patch: { message: `writer ${i}` }, events: [{ kind: 'milestone', percent: i }] }, 2_000 + i),
      ),
    );
    const winners = results.flatMap((result, i) => (result.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) if (!result.ok) expect(result.currentSeq).toBe(2);
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ message: `writer ${winners[0]}`, seq: 2 });
    expect(await ctx.store().jobs.events(job!.id, 0, 50)).toHaveLength(2);
  });

  it('per-job seq increases strictly, without gaps, across commits from two stores', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    const other = await ctx.openSame();
    let seq = 1;
    for (let i = 0; i < 30; i++) {
      const store = i % 2 === 0 ? ctx.store() : other;
      const events = Array.from({ length: 1 + (i % 3) }, () => ({ kind: 'log' as const, level: 'info' as const, message: `tick ${i}` }));
      const result = await store.jobs.commit({ id: job!.id, expectedSeq: seq, patch: {}, events }, 2_000 + i);
      expect(result.ok).toBe(true);
      seq += events.length;
    }
    const stored = await ctx.store().jobs.events(job!.id, 0, 1_000);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    expect((await ctx.store().jobs.get(job!.id))!.seq).toBe(seq);
  });

  it('a commit without events changes fields but not seq; an empty one still checks seq', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    expect(await ctx.store().jobs.commit({ id: job!.id, expectedSeq: 1, patch: { control: 'pause' }, events: [] }, 2_000)).toEqual({ ok: true, events: [] });
    expect(await ctx.store().jobs.get(job!.id)).toMatchObject({ control: 'pause', seq: 1 });
    expect(await ctx.store().jobs.commit({ id: job!.id, expectedSeq: 7, patch: {}, events: [] }, 2_000)).toEqual({ ok: false, currentSeq: 1 });
  });

  it('a commit that changes tags changes what the tag filter finds', async () => {
    const [job] = await seed(ctx.store(), [makeJob({ tags: ['old'] })]);
    await ctx.store().jobs.commit({ id: job!.id, expectedSeq: 1, patch: { tags: ['new', 'shiny'] }, events: [] }, 2_000);
    expect(ids((await ctx.store().jobs.list({ tag: 'old', limit: 10 })).items)).toEqual([]);
    expect(ids((await ctx.store().jobs.list({ tag: 'shiny', limit: 10 })).items)).toEqual([job!.id]);
    expect((await ctx.store().jobs.get(job!.id))!.tags).toEqual(['new', 'shiny']);
  });
}
