import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import type { Job } from '@headway/protocol';
import { SYSTEM } from '../../../src/service/actor.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../support/server.js';
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
