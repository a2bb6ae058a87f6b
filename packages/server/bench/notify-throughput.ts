/**
 * Notification throughput (not a test; no thresholds): notifications per second through the
 * durable outbox to a local SMTP server and to a local webhook receiver, and what a burst of
 * 10,000 job completions costs the publishing (hot) path.
 *   node --conditions=headway-src --import tsx packages/server/bench/notify-throughput.ts [count]
 * The receivers run in this same process, so the figures include their CPU on the same cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobEvent } from '@headway/protocol';
import { Value } from '@sinclair/typebox/value';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { LocalBus } from '../src/bus/local-bus.js';
import { ConfigSchema, type Config } from '../src/config/config.js';
import { createNotifier } from '../src/notify/index.js';
import { defaultPreferences } from '../src/notify/preferences/schema.js';
import type { ChannelName } from '../src/notify/types.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import type { Store } from '../src/store/store.js';
import { SmtpReceiver } from '../test/notify/support/smtp-receiver.js';
import { WebhookReceiver } from '../test/notify/support/webhook-receiver.js';

const COUNT = Number(process.argv[2] ?? 5_000);
const BURST = 10_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const logger = pino({ level: 'silent' });

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'headway-notify-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function configWith(overrides: Partial<Config>): Config {
  return Value.Default(ConfigSchema, { db: ':memory:', logLevel: 'silent', notify: { dispatchIntervalMs: 5, batchSize: 500, concurrency: 32 }, ...overrides }) as Config;
}

async function seed(store: Store, channel: ChannelName, count: number, webhookUrl: string): Promise<void> {
  const now = Date.now();
  await store.notifications.updatePreferences('bench', () => ({ ...defaultPreferences(), contacts: { email: 'bench@example.test', phone: null, webhook: { url: webhookUrl, secret: SECRET, disabledAt: null } } }), now);
  const job = { id: 'job', type: 'bench', title: 'Bench job', owner: 'bench', parentId: null, status: 'completed' as const, percent: 100, done: 1, total: 1, unit: null, message: null, tags: [], error: null, counts: null, createdAt: now, startedAt: now, finishedAt: now };
  const notifications = Array.from({ length: count }, (_, i) => ({ id: `n${i}`, key: `job-${i}:3|bench|${channel}`, userId: 'bench', type: 'job.completed', channel, jobId: `job-${i}`, urgent: false, data: { type: 'job.completed', at: now, job }, dueAt: now }));
  await store.notifications.enqueue({ notifications, digestItems: [] }, now);
}

/** Seeds `count` rows, starts a notifier, and times until every row is sent. */
async function drain(channel: ChannelName, config: Config, webhookUrl: string): Promise<number> {
  return withStore(async (store) => {
    await seed(store, channel, COUNT, webhookUrl);
    const bus = new LocalBus(() => undefined);
    const notifier = createNotifier({ store, bus, config, logger });
    const started = performance.now();
    await notifier.start();
    while ((await store.notifications.countByStatus()).sent < COUNT) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - started) / 1000;
    await notifier.stop();
    return COUNT / seconds;
  });
}

/** 10,000 completions published on the bus: the publisher's cost per event, and the time until all are in the outbox. */
async function burst(): Promise<{ publishMicrosPerEvent: number; enqueuedPerSec: number }> {
  return withStore(async (store) => {
    const bus = new LocalBus(() => undefined);
    const notifier = createNotifier({ store, bus, config: configWith({ notify: { ...configWith({}).notify, dispatchIntervalMs: 60_000 } }), logger });
    await notifier.start();
    const now = Date.now();
    const messages = Array.from({ length: BURST }, (_, i) => {
      const job = { id: `job-${i}`, type: 'bench', title: `Bench ${i}`, owner: `user-${i % 100}`, parentId: null, status: 'completed', counts: null, tags: [], metadata: {} } as unknown as Job;
      const event: JobEvent = { kind: 'transition', from: 'running', to: 'completed', jobId: job.id, seq: 3, at: now, cursor: i + 1 };
      return { type: 'event' as const, event, job };
    });
    const started = performance.now();
    for (const message of messages) bus.publish(message);
    const published = performance.now();
    await notifier.flush();
    const written = performance.now();
    await notifier.stop();
    return { publishMicrosPerEvent: ((published - started) * 1000) / BURST, enqueuedPerSec: BURST / ((written - started) / 1000) };
  });
}

/** The same receivers without Headway in between (32 at once), to tell our cost from the transport's on this machine. */
async function baseline(send: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next++ < COUNT) await send();
  }));
  return COUNT / ((performance.now() - started) / 1000);
}

const smtp = await new SmtpReceiver().start();
const webhook = await new WebhookReceiver(SECRET).start();
try {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; ${COUNT} notifications per run`);
  const smtpConfig = configWith({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Bench <bench@example.test>' } });
  console.log(`outbox → local SMTP (pooled, 8 connections): ${(await drain('email', smtpConfig, webhook.url)).toFixed(0)} notifications/s`);
  console.log(`outbox → local webhook receiver (signed, 32 at once): ${(await drain('webhook', configWith({}), webhook.url)).toFixed(0)} notifications/s`);
  console.log(`outbox → in-app (store + bus only): ${(await drain('in_app', configWith({}), webhook.url)).toFixed(0)} notifications/s`);
  const unverified = webhook.received.filter((r) => !r.verified).length;
  if (unverified > 0) console.log(`warning: ${unverified} webhook signatures did not verify`);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, pool: true, maxConnections: 8, ignoreTLS: true });
  const mailPerSec = await baseline(() => transport.sendMail({ from: 'bench@example.test', to: 'bench@example.test', subject: 'x', text: 'x' }));
  transport.close();
  const fetchPerSec = await baseline(async () => (await fetch(webhook.url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text());
  console.log(`baselines without the outbox: nodemailer → same SMTP server ${mailPerSec.toFixed(0)}/s, fetch → same webhook receiver ${fetchPerSec.toFixed(0)}/s`);
  const b = await burst();
  console.log(`burst of ${BURST} completions: ${b.publishMicrosPerEvent.toFixed(2)} µs per event on the publishing path; ${b.enqueuedPerSec.toFixed(0)} events/s into the outbox`);
} finally {
  await smtp.stop();
  await webhook.stop();
}
