import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob } from './fixtures.js';

type Page = { items: Job[]; nextCursor: string | null };

describe('listing jobs', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    ids.exportA = (await createJob(server, { type: 'export', title: 'Export invoices', owner: 'ann', tags: ['billing'] })).id;
    ids.exportB = (await createJob(server, { type: 'export', title: 'Export contacts', owner: 'ben', tags: ['crm'] })).id;
    ids.importA = (await createJob(server, { type: 'import', title: 'Import leads', owner: 'ann', tags: ['crm'] })).id;
    const batch = await createJob(server, { type: 'batch', title: 'Resize photos', children: [{ type: 'resize' }, { type: 'resize' }] });
    ids.batch = batch.id;
    await server.request('POST', `/v1/jobs/${ids.exportB}/start`, { body: {} });
    await server.request('POST', `/v1/jobs/${ids.importA}/start`, { body: {} });
    await server.request('POST', `/v1/jobs/${ids.importA}/fail`, { body: { error: { message: 'CSV column "email" missing' }, retry: false } });
  });
  afterAll(() => server.close());

  const list = async (query: string) => {
    const res = await server.request<Page>('GET', `/v1/jobs?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const idsOf = (page: Page) => page.items.map((j) => j.id).sort();

  it('filters by status (one or a comma list), type, owner and tag', async () => {
    expect(idsOf(await list('status=running'))).toEqual([ids.exportB]);
    expect(idsOf(await list('status=running,failed'))).toEqual([ids.exportB, ids.importA].sort());
    expect(idsOf(await list('type=export'))).toEqual([ids.exportA, ids.exportB].sort());
    expect(idsOf(await list('owner=ann'))).toEqual([ids.exportA, ids.importA].sort());
    expect(idsOf(await list('tag=crm'))).toEqual([ids.exportB, ids.importA].sort());
    expect(idsOf(await list('type=export&owner=ann'))).toEqual([ids.exportA]);
  });

  it('q searches title and error text', async () => {
    expect(idsOf(await list('q=invoices'))).toEqual([ids.exportA]);
    expect(idsOf(await list('q=column'))).toEqual([ids.importA]);
  });

  it('parentId lists a batch’s children', async () => {
    const children = await list(`parentId=${ids.batch}`);
    expect(children.items).toHaveLength(2);
    expect(children.items.every((j) => j.parentId === ids.batch && j.type === 'resize')).toBe(true);
  });

  it('pages with limit and nextCursor visit every job once, in the sort order', async () => {
    const seen: Job[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`limit=2&sort=createdAt${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const everything = await list('limit=500');
    expect(seen.map((j) => j.id).sort()).toEqual(idsOf(everything));
    expect(new Set(seen.map((j) => j.id)).size).toBe(seen.length);
    const created = seen.map((j) => j.createdAt);
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });
});
