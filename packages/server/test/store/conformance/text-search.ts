import { expect, it } from 'vitest';
import type { JobStatus } from '@headway/protocol';
import type { JobRecord } from '../../../src/model/job-record.js';
import type { Store } from '../../../src/store/store.js';
import type { StoreContext } from '../conformance.js';
import { finish, ids, makeJob, seed } from '../fixtures.js';

const TEXTS = [
  'Import Customers.CSV',
  'reading customers.csv row 40',
  'Discount 100% off_peak',
  'say "hello" to C:\\temp\\x',
  'ÉTÉ à Paris',
  'Straße und STRASSE',
  'İstanbul upload',
  'résumé.pdf',
  'tab\there',
  'ΟΔΟΣ ΑΘΗΝΑΣ',
];

// With needles whose lowercase depends on context (a word-final Σ is ς) or is two characters
// (İ is i + U+0307): PostgreSQL's plain lower() answered those differently (migration 0008).
const NEEDLES = ['customers.csv', 'CUSTOMER', 'cs', '100% off_', '%', '_p', '"hello"', 'c:\\temp', 'été', 'straße', 'strasse', 'stanbul', 'sumé.p', 'b\th', 'nowhere', 'İstanbul', 'i̇stanbul', 'οδος', 'ΟΔΟΣ αθ', 'αθηνας'];

const STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

/** The answer a search must give: a case-insensitive substring of title, message or error message. */
function expected(jobs: JobRecord[], needle: string): string[] {
  const lowered = needle.toLowerCase();
  const has = (text: string | null | undefined) => text?.toLowerCase().includes(lowered) ?? false;
  return ids(jobs.filter((job) => has(job.title) || has(job.message) || has(job.error?.message)));
}

async function search(store: Store, text: string): Promise<string[]> {
  return ids((await store.jobs.list({ text, sort: 'createdAt', limit: 200 })).items);
}

async function indexAll(store: Store): Promise<void> {
  while ((await store.jobs.indexFinishedTexts(500)) > 0);
}

/** Text search where finished jobs go through an index (migration 0007): the answers must not depend on it. */
export function textSearchTests(ctx: StoreContext): void {
  it('finds the same jobs in every status, before and after finished jobs are indexed', async () => {
    // Each text as a title, a message and an error message, in every status.
    const jobs: JobRecord[] = [];
    TEXTS.forEach((text, t) =>
      STATUSES.forEach((status, s) => {
        const createdAt = 1_000 + t * 100 + s * 10;
        const error = { message: `${text} failed`, code: null, attempt: 1, at: 9 };
        jobs.push(makeJob({ status, createdAt, title: text }));
        jobs.push(makeJob({ status, createdAt: createdAt + 1, message: text }));
        jobs.push(makeJob({ status, createdAt: createdAt + 2, error: status === 'queued' ? null : error }));
      }),
    );
    await seed(ctx.store(), jobs);
    for (const needle of NEEDLES) expect(await search(ctx.store(), needle), needle).toEqual(expected(jobs, needle));
    await indexAll(ctx.store());
    for (const needle of NEEDLES) expect(await search(ctx.store(), needle), needle).toEqual(expected(jobs, needle));
  });

  it('follows a job through failure, retry, a second failure and retention', async () => {
    const store = ctx.store();
    const [job] = await seed(store, [makeJob({ title: 'nightly export', status: 'running', createdAt: 1_000 })]);
    let current = await finish(store, job!, { status: 'failed', finishedAt: 2_000, error: { message: 'disk full on node-7', code: null, attempt: 1, at: 2_000 } });
    await indexAll(store);
    expect(await search(store, 'node-7')).toEqual([job!.id]);

    current = await finish(store, current, { status: 'queued', finishedAt: null, error: null }); // retried
    await indexAll(store);
    expect(await search(store, 'node-7')).toEqual([]);
    expect(await search(store, 'nightly')).toEqual([job!.id]);

    current = await finish(store, current, { status: 'failed', finishedAt: 3_000, error: { message: 'quota exceeded', code: null, attempt: 2, at: 3_000 } });
    expect(await search(store, 'quota exceeded')).toEqual([job!.id]); // before indexing
    await indexAll(store);
    expect(await search(store, 'quota exceeded')).toEqual([job!.id]);
    expect(await search(store, 'node-7')).toEqual([]);

    await finish(store, current, { message: 'kept for the audit' }); // a finished job's text changed
    await indexAll(store);
    expect(await search(store, 'for the audit')).toEqual([job!.id]);

    expect(await store.jobs.purgeFinished(10_000, 100)).toBe(1);
    while (await store.jobs.tidyTextIndex());
    expect(await search(store, 'nightly')).toEqual([]);
    expect(await search(store, 'quota')).toEqual([]);
  });

  it('pages through a word found in more finished jobs than the index is asked for, and a rare one among them', async () => {
    const jobs = Array.from({ length: 1_200 }, (_, i) =>
      makeJob({ status: i % 3 === 0 ? 'failed' : 'completed', createdAt: 1_000 + i, title: `export ${i} for customer-${i % 7}`, finishedAt: 2_000 + i }),
    );
    await seed(ctx.store(), jobs);
    await indexAll(ctx.store());
    const walk = async (text: string) => {
      const found: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.store().jobs.list({ text, sort: '-createdAt', limit: 100, cursor });
        found.push(...ids(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return found;
    };
    const newestFirst = (needle: string) => expected(jobs, needle).reverse();
    expect(await walk('export')).toEqual(newestFirst('export'));
    expect(await walk('customer-3')).toEqual(newestFirst('customer-3'));
    expect(await walk('export 1199 ')).toEqual(newestFirst('export 1199 '));
  });
}
