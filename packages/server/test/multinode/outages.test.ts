import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { Job } from '@headway/protocol';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus } from '../../src/bus/redis-bus.js';
import type { BusMessage } from '../../src/bus/bus.js';
import { ConfigSchema, type Config } from '../../src/config/config.js';
import { createHeadway } from '../../src/create-headway.js';
import type { Headway } from '../../src/headway.js';
import { buildHttpApp } from '../../src/http/app.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { eventually } from '../support/node.js';
import { serviceUrl } from '../support/services.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const pgUrl = serviceUrl('pgUrl');
const redisUrl = serviceUrl('redisUrl');

interface Health {
  status: string;
  ready: boolean;
  checks: { store: string; bus: string };
}

describe.skipIf(!pgUrl || !redisUrl)('a node that loses PostgreSQL or Redis', () => {
  const schema = `outage_${randomBytes(6).toString('hex')}`;
  const prefix = `outage-${randomBytes(6).toString('hex')}`;
  const adminKey = `hw_admin_${randomBytes(18).toString('base64url')}`;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let headway: Headway;
  let app: FastifyInstance;

  const health = async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/health' });
    return { statusCode: res.statusCode, body: res.json<Health>() };
  };
  const call = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${adminKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { statusCode: res.statusCode, body: res.json<T>() };
  };

  beforeAll(async () => {
    const pgSide = await TcpProxy.inFrontOf(pgUrl!);
    const redisSide = await TcpProxy.inFrontOf(redisUrl!);
    pgProxy = pgSide.proxy;
    redisProxy = redisSide.proxy;
    const config = Value.Default(ConfigSchema, { db: pgSide.url, redis: redisSide.url, redisPrefix: prefix, adminKey, flushIntervalMs: 20, logLevel: 'silent', rateLimitPerMinute: 0 }) as Config;
    const store = await openPostgresStore(pgSide.url, { schema });
    headway = await createHeadway(config, { store, logger: pino({ level: 'silent' }) });
    await headway.start();
    app = await buildHttpApp(headway, { dashboardDir: null });
    await app.ready();
  });

  afterAll(async () => {
    await pgProxy?.restore().catch(() => undefined);
    await redisProxy?.restore().catch(() => undefined);
    await app?.close();
    await headway?.stop();
    await Promise.all([pgProxy?.cut(), redisProxy?.cut()]);
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('is ready with both, not ready without PostgreSQL, answers no progress it could not store, and recovers', async () => {
    expect(await health()).toMatchObject({ statusCode: 200, body: { status: 'ok', ready: true, checks: { store: 'ok', bus: 'ok' } } });
    const job = (await call<Job>('POST', '/v1/jobs', { type: 'reported', title: 'survives' })).body;
    expect((await call('POST', `/v1/jobs/${job.id}/start`, {})).statusCode).toBe(200);

    await pgProxy.cut();
    const down = await health();
    expect(down.statusCode).toBe(503);
    expect(down.body).toMatchObject({ ready: false, checks: { bus: 'ok' } });
    expect(down.body.checks.store).not.toBe('ok');
    // Progress is answered once stored (the journal): refused as "not ready" meanwhile, and the SDK retries.
    const refused = await call('POST', `/v1/jobs/${job.id}/progress`, { done: 2, total: 10 });
    expect(refused).toMatchObject({ statusCode: 503, body: { error: { code: 'NOT_READY', message: expect.stringContaining('retry the report') } } });
    // What must be written first is refused as "not ready" (retry, or use another node), never half done.
    expect(await call('POST', '/v1/jobs', { type: 'reported', title: 'during the outage' })).toMatchObject({ statusCode: 503, body: { error: { code: 'NOT_READY' } } });

    await pgProxy.restore();
    await eventually(async () => (await health()).body.ready, 20_000, 'ready again after PostgreSQL is back');
    const retried = await call<{ control: string }>('POST', `/v1/jobs/${job.id}/progress`, { done: 2, total: 10 });
    expect(retried).toMatchObject({ statusCode: 200, body: { control: 'run' } });
    await eventually(async () => (await headway.store.jobs.get(job.id))?.done === 2, 20_000, 'the retried progress in the database');
    expect((await call('POST', `/v1/jobs/${job.id}/complete`, {})).statusCode).toBe(200);
  });

  it('is not ready without Redis; events written meanwhile reach the other nodes once Redis is back', async () => {
    const otherNode = await createRedisBus({ url: redisUrl!, prefix, onError: () => undefined });
    const seen: BusMessage[] = [];
    otherNode.subscribe((m) => seen.push(m));
    try {
      await redisProxy.cut();
      await eventually(async () => (await health()).statusCode === 503, 10_000, 'not ready without Redis');
      expect((await health()).body).toMatchObject({ ready: false, checks: { store: 'ok' } });
      // Written to PostgreSQL now; its event waits for Redis and then reaches the other nodes.
      const during = (await call<Job>('POST', '/v1/jobs', { type: 'reported', title: 'during the Redis outage' })).body;

      await redisProxy.restore();
      await eventually(async () => (await health()).statusCode === 200, 20_000, 'ready again after Redis is back');
      const job = (await call<Job>('POST', '/v1/jobs', { type: 'reported', title: 'after the outage' })).body;
      await eventually(() => seen.some((m) => m.type === 'event' && m.event.jobId === job.id && m.event.kind === 'created'), 10_000, 'the created event on the other node');
      expect(seen.some((m) => m.type === 'event' && m.event.jobId === during.id && m.event.kind === 'created')).toBe(true);
    } finally {
      await otherNode.close();
    }
  });
});
