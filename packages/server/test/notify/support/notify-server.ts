import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import type { Job } from '@headway/protocol';
import { SYSTEM } from '../../../src/service/actor.js';
import type { Store } from '../../../src/store/store.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../support/server.js';
import { dropTestDb, freshTestDb } from '../../support/test-db.js';
import { SmtpReceiver } from './smtp-receiver.js';

/** Fast delivery settings for tests: small backoff, quick rounds, escalation after two failures. */
export const FAST_NOTIFY: Partial<Config['notify']> = {
  dispatchIntervalMs: 20,
  enqueueIntervalMs: 5,
  backoffBaseMs: 40,
  backoffMaxMs: 400,
  maxAttempts: 6,
  escalateAfterAttempts: 2,
  leaseMs: 5_000,
  // The test receivers listen on 127.0.0.1, which webhooks may reach only when allowed.
  webhookAllowedNetworks: ['private', 'loopback'],
};

/** A Headway node with HTTP whose notifications go to the given SMTP port and SMS provider. */
export async function startNotifyServer(options: { smtpPort?: number; sms?: Config['sms']; notify?: Partial<Config['notify']>; now?: () => number; dbPath?: string } & Pick<TestServerOptions, 'adminKey'> = {}): Promise<TestServer> {
  const config: Partial<Config> = {
    notify: { ...FAST_NOTIFY, ...options.notify } as Config['notify'],
    ...(options.smtpPort ? { smtp: { host: '127.0.0.1', port: options.smtpPort, secure: false, from: 'Headway <headway@example.test>' } } : {}),
    ...(options.sms ? { sms: options.sms } : {}),
  };
  return startTestServer({
    config,
    ...(options.now ? { headway: { now: options.now } } : {}),
    ...(options.dbPath ? { dbPath: options.dbPath } : {}),
    ...(options.adminKey ? { adminKey: options.adminKey } : {}),
  });
}

export async function putPreferences(server: TestServer, userId: string, body: Record<string, unknown>): Promise<void> {
  const res = await server.request('PUT', `/v1/users/${userId}/preferences`, { body });
  if (res.status !== 200) throw new Error(`saving preferences answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Creates a job for `owner` and takes it to `to` in process, as a worker would. */
export async function runJob(server: TestServer, owner: string, to: 'completed' | 'failed', body: Record<string, unknown> = {}): Promise<Job> {
  const { jobs } = server.headway;
  // One attempt: a failure is final (no retry), so it notifies job.failed.
  const job = await jobs.create({ type: 'report.build', owner, title: 'Quarterly report', maxAttempts: 1, ...body }, SYSTEM);
  await jobs.act(job.id, 'start', {}, SYSTEM);
  if (to === 'completed') return jobs.act(job.id, 'complete', { result: { ok: true } }, SYSTEM);
  return jobs.act(job.id, 'fail', { error: { message: 'Import failed at row 40,112', code: 'BAD_ROW' } }, SYSTEM);
}

/**
 * Closes what a test started once it ends: its node first (nothing is then sent to a receiver
 * that is gone), then the receivers handed to the returned function, in that order.
 * `node` reads the test file's current server (closing one twice is harmless).
 */
export function closeAfterEachTest(node: () => TestServer | undefined): (stop: () => Promise<void>) => void {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await node()?.close();
    for (const stop of stops.splice(0)) await stop();
  });
  return (stop) => void stops.push(stop);
}

/** A real SMTP receiver on loopback and a node mailing to it, started once for the file and stopped after it. */
export function mailingServerPerSuite(): { smtp: SmtpReceiver; server: () => TestServer } {
  const smtp = new SmtpReceiver();
  let server: TestServer | undefined;
  beforeAll(async () => {
    await smtp.start();
    server = await startNotifyServer({ smtpPort: smtp.port });
  });
  afterAll(async () => {
    await server?.close();
    await smtp.stop();
  });
  return { smtp, server: () => server! };
}

/**
 * One database per test for a node that is started, stopped and started again on it: `db()` makes
 * it on first use (a SQLite file or a PostgreSQL schema), `start(store?)` starts a node with fast
 * notifications on it (on `store` when given, e.g. a FlakyOutbox's). All stopped and removed after the test.
 */
export function restartedNodesPerTest(): { db: () => string; start: (store?: Store) => Promise<TestServer> } {
  let dir: string | undefined;
  let db: string | undefined;
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0).reverse()) await server.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (db) await dropTestDb(db);
    dir = db = undefined;
  });
  const dbOfTest = () => (db ??= freshTestDb((dir = mkdtempSync(join(tmpdir(), 'headway-restarted-')))));
  return {
    db: dbOfTest,
    start: async (store) => {
      const server = await startTestServer({ dbPath: dbOfTest(), config: { notify: FAST_NOTIFY as never }, ...(store ? { headway: { store } } : {}) });
      servers.push(server);
      return server;
    },
  };
}
