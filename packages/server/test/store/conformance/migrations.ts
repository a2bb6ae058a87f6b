import { expect, it } from 'vitest';
import type { StoreContext } from '../conformance.js';
import { makeJob, seed } from '../fixtures.js';

export function migrationTests(ctx: StoreContext): void {
  it('migrate is idempotent and keeps data', async () => {
    const [job] = await seed(ctx.store(), [makeJob()]);
    await ctx.store().migrate();
    await ctx.store().migrate();
    const other = await ctx.openSame();
    await other.migrate();
    expect(await other.jobs.get(job!.id)).toEqual(job);
    await ctx.store().ping();
  });

  it('refuses a database that a newer release migrated, saying what to do', async () => {
    await ctx.harness.recordFutureMigration(ctx.store(), 9_999);
    const opening = (async () => {
      const store = await ctx.openSame();
      await store.migrate();
    })();
    await expect(opening).rejects.toMatchObject({ code: 'NOT_READY', message: expect.stringMatching(/migration 9999 .*newer release/) });
    await expect(ctx.store().migrate()).rejects.toMatchObject({ code: 'NOT_READY' });
  });
}
