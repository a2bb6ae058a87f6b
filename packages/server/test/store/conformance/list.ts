import { expect, it } from 'vitest';
import type { JobRecord } from '../../../src/model/job-record.js';
import type { JobQuery, Store } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';
import { ids, makeJob, seed } from '../fixtures.js';

/** Every page of a listing, following nextCursor. */
async function walk(store: Store, query: Omit<JobQuery, 'cursor'>, between?: (page: number) => Promise<void>): Promise<JobRecord[]> {
  const all: JobRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await store.jobs.list({ ...query, cursor });
    all.push(...result.items);
    if (!result.nextCursor) return all;
    expect(result.items).toHaveLength(query.limit);
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error('listing did not end after 100 pages');
}

export function listTests(ctx: StoreContext): void {
  it('filters by statuses, type, owner, tag and creation time', async () => {
    const jobs = await seed(ctx.store(), [
      makeJob({ type: 'import', owner: 'ann', tags: ['csv', 'nightly'], status: 'running', createdAt: 1_000 }),
      makeJob({ type: 'import', owner: 'bob', tags: ['csv'], status: 'failed', createdAt: 2_000 }),
      makeJob({ type: 'video', owner: 'ann', tags: ['nightly'], status: 'queued', createdAt: 3_000 }),
      makeJob({ type: 'video', owner: null, status: 'completed', createdAt: 4_000 }),
    ]);
    const [a, b, c, d] = jobs.map((job) => job.id);
    const list = async (query: Partial<JobQuery>) => ids((await ctx.store().jobs.list({ sort: 'createdAt', limit: 50, ...query })).items);
    expect(await list({})).toEqual([a, b, c, d]);
    expect(await list({ statuses: ['running', 'failed'] })).toEqual([a, b]);
    expect(await list({ type: 'video' })).toEqual([c, d]);
    expect(await list({ owner: 'ann' })).toEqual([a, c]);
    expect(await list({ tag: 'nightly' })).toEqual([a, c]);
    expect(await list({ tag: 'csv', owner: 'bob' })).toEqual([b]);
    expect(await list({ tag: 'none' })).toEqual([]);
    expect(await list({ createdFrom: 2_000, createdTo: 3_000 })).toEqual([b, c]);
    expect(await list({ createdFrom: 3_500 })).toEqual([d]);
    expect(await list({ type: 'video', statuses: ['queued'], owner: 'ann', tag: 'nightly' })).toEqual([c]);
  });

  it('parentId null lists top-level jobs only; a parent id lists its children', async () => {
    const parent = makeJob({ createdAt: 1_000 });
    const children = [makeJob({ parentId: parent.id, createdAt: 1_001 }), makeJob({ parentId: parent.id, createdAt: 1_002 })];
    const loner = makeJob({ createdAt: 1_003 });
    await seed(ctx.store(), [parent, ...children, loner]);
    const list = async (parentId: string | null) => ids((await ctx.store().jobs.list({ parentId, sort: 'createdAt', limit: 50 })).items);
    expect(await list(null)).toEqual([parent.id, loner.id]);
    expect(await list(parent.id)).toEqual(ids(children));
    expect(await list(loner.id)).toEqual([]);
  });

  it('text matches a case-insensitive substring of title, message or error message, taking % and _ literally', async () => {
    const [byTitle, byMessage, byError, none, percent] = await seed(ctx.store(), [
      makeJob({ title: 'Import Customers.CSV', createdAt: 1 }),
      makeJob({ message: 'reading customers.csv row 40', createdAt: 2 }),
      makeJob({ error: { message: 'CUSTOMERS.csv: bad header', code: null, attempt: 1, at: 5 }, status: 'failed', createdAt: 3 }),
      makeJob({ title: 'Resize images', message: 'customer photos', createdAt: 4 }),
      makeJob({ title: 'Discount 100% off_peak', createdAt: 5 }),
    ]);
    const search = async (text: string) => ids((await ctx.store().jobs.list({ text, sort: 'createdAt', limit: 50 })).items);
    expect(await search('customers.csv')).toEqual([byTitle!.id, byMessage!.id, byError!.id]);
    expect(await search('Customer')).toEqual([byTitle!.id, byMessage!.id, byError!.id, none!.id]);
    expect(await search('100% off_')).toEqual([percent!.id]);
    expect(await search('%')).toEqual([percent!.id]);
    expect(await search('_')).toEqual([percent!.id]);
  });

  it('sorts by createdAt or updatedAt either way, breaking ties by id', async () => {
    const jobs = await seed(ctx.store(), [
      makeJob({ createdAt: 3_000, updatedAt: 3_100 }),
      makeJob({ createdAt: 1_000, updatedAt: 9_000 }),
      makeJob({ createdAt: 2_000, updatedAt: 2_500 }),
      makeJob({ createdAt: 2_000, updatedAt: 2_500 }),
    ]);
    const [late, early, tieA, tieB] = jobs.map((job) => job.id) as [string, string, string, string];
    const [lowTie, highTie] = [tieA, tieB].sort();
    const sorted = async (sort: JobQuery['sort']) => ids((await ctx.store().jobs.list({ sort, limit: 50 })).items);
    expect(await sorted('createdAt')).toEqual([early, lowTie, highTie, late]);
    expect(await sorted('-createdAt')).toEqual([late, highTie, lowTie, early]);
    expect(await sorted('updatedAt')).toEqual([lowTie, highTie, late, early]);
    expect(await sorted('-updatedAt')).toEqual([early, late, highTie, lowTie]);
    expect(await sorted(undefined)).toEqual(await sorted('-createdAt'));
  });

  it('lists updatedAt by last activity: progress written without activeAt leaves the order alone, with it the job moves', async () => {
    const [quiet, busy] = await seed(ctx.store(), [makeJob({ createdAt: 1_000, updatedAt: 8_000 }), makeJob({ createdAt: 2_000, updatedAt: 7_000 })]);
    const newestFirst = async () => (await ctx.store().jobs.list({ sort: '-updatedAt', limit: 50 })).items.map((job) => [job.id, job.updatedAt]);
    // A flush within the resolution: updatedAt is exact, the listing key stays where it was.
    await ctx.store().jobs.saveProgress([{ id: busy!.id, done: 5, updatedAt: 9_000 }]);
    expect(await newestFirst()).toEqual([
      [quiet!.id, 8_000],
      [busy!.id, 9_000],
    ]);
    await ctx.store().jobs.saveProgress([{ id: busy!.id, done: 6, updatedAt: 12_500, activeAt: 12_500 }]);
    expect(await newestFirst()).toEqual([
      [busy!.id, 12_500],
      [quiet!.id, 8_000],
    ]);
    // The cursor is keyed on the same value, so paging follows this order too.
    const first = await ctx.store().jobs.list({ sort: '-updatedAt', limit: 1 });
    expect((await ctx.store().jobs.list({ sort: '-updatedAt', limit: 1, cursor: first.nextCursor! })).items.map((job) => job.id)).toEqual([quiet!.id]);
  });

  it('pages with an opaque cursor through every job once, in order, for every sort', async () => {
    // Several jobs share a timestamp, so pages must break ties by id to neither skip nor repeat.
    const jobs = await seed(
      ctx.store(),
      Array.from({ length: 23 }, (_, i) => makeJob({ createdAt: 1_000 + Math.floor(i / 4), updatedAt: 9_000 - Math.floor(i / 3) })),
    );
    for (const sort of ['createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const) {
      const everything = ids((await ctx.store().jobs.list({ sort, limit: 100 })).items);
      const paged = ids(await walk(ctx.store(), { sort, limit: 5 }));
      expect(paged).toEqual(everything);
      expect(new Set(paged).size).toBe(jobs.length);
    }
    const lastPage = await ctx.store().jobs.list({ sort: 'createdAt', limit: 23 });
    expect(lastPage.nextCursor).toBeNull();
  });

  it('pages stay stable while new jobs are inserted between them', async () => {
    const initial = await seed(ctx.store(), Array.from({ length: 12 }, (_, i) => makeJob({ createdAt: 1_000 + i })));
    let inserted: JobRecord[] = [];
    const newestFirst = await walk(ctx.store(), { sort: '-createdAt', limit: 4 }, async (page) => {
      inserted = inserted.concat(await seed(ctx.store(), [makeJob({ createdAt: 5_000 + page })]));
    });
    // Newest first: jobs created after the walk began are ahead of the cursor and never show up.
    expect(ids(newestFirst)).toEqual(ids(initial).reverse());
    const oldestFirst = await walk(ctx.store(), { sort: 'createdAt', limit: 5 }, async (page) => {
      inserted = inserted.concat(await seed(ctx.store(), [makeJob({ createdAt: 6_000 + page })]));
    });
    // Oldest first: nothing is repeated or skipped, and new jobs arrive at the end.
    expect(ids(oldestFirst.slice(0, 12))).toEqual(ids(initial));
    expect(new Set(ids(oldestFirst)).size).toBe(oldestFirst.length);
    expect(ids(oldestFirst.slice(12))).toEqual(ids(inserted).slice(0, oldestFirst.length - 12));
  });

  it('filters keep applying on later pages', async () => {
    await seed(ctx.store(), Array.from({ length: 20 }, (_, i) => makeJob({ type: i % 2 === 0 ? 'even' : 'odd', createdAt: 1_000 + i })));
    const even = await walk(ctx.store(), { type: 'even', sort: 'createdAt', limit: 3 });
    expect(even).toHaveLength(10);
    expect(even.every((job) => job.type === 'even')).toBe(true);
  });

  it('rejects a cursor it did not issue, or one from another sort order, with VALIDATION_FAILED', async () => {
    await seed(ctx.store(), [makeJob({ createdAt: 1 }), makeJob({ createdAt: 2 })]);
    const page = await ctx.store().jobs.list({ sort: 'createdAt', limit: 1 });
    expect(page.nextCursor).toEqual(expect.any(String));
    await expect(ctx.store().jobs.list({ sort: '-updatedAt', limit: 1, cursor: page.nextCursor! })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(ctx.store().jobs.list({ limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(ctx.store().jobs.list({ limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
}
