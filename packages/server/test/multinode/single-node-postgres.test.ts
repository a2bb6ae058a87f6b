import { randomBytes } from 'node:crypto';
import type { Job } from '@headway/protocol';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { eventually } from '../support/node.js';
import { serviceUrl } from '../support/services.js';
import { openSubscriber, transitionsOf } from '../stream/ws-client.js';

const pgUrl = serviceUrl('pgUrl');

describe.skipIf(!pgUrl)('one node on PostgreSQL without Redis', () => {
  const schema = `single_${randomBytes(6).toString('hex')}`;
  let server: TestServer | null = null;

  afterAll(async () => {
    await server?.close();
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('runs jobs and streams their transitions with the in-process bus, and survives a restart on the same database', async () => {
    server = await startTestServer({
      headway: { store: await openPostgresStore(pgUrl!, { schema }) },
      register: (headway) =>
        headway.runtime.register('resize', async (ctx) => {
          ctx.progress(1, 2);
          await ctx.checkpoint();
          ctx.progress(2, 2);
          return { resized: true };
        }),
    });
    expect(server.headway.store.dialect).toBe('postgres');
    const watcher = await openSubscriber(server.url, server.adminKey);
    watcher.send({ type: 'subscribe', channel: 'jobs' });
    await watcher.next('snapshot');
    const job = (await server.request<Job>('POST', '/v1/jobs', { body: { type: 'resize', title: 'photo.jpg' } })).body;
    await eventually(() => transitionsOf(watcher.messages, job.id).includes('completed'), 20_000, 'the job completed on the stream');
    expect(transitionsOf(watcher.messages, job.id)).toEqual(['running', 'completed']);
    watcher.ws.terminate();

    const adminKey = server.adminKey;
    await server.close();
    server = await startTestServer({ adminKey, headway: { store: await openPostgresStore(pgUrl!, { schema }) } });
    expect((await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'completed', result: { resized: true }, percent: 100 });
  });
});
