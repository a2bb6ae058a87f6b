import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { ConfigSchema, type Config } from '../../src/config/config.js';
import { createHeadway, type HeadwayOptions } from '../../src/create-headway.js';
import type { Headway } from '../../src/headway.js';
import { buildHttpApp } from '../../src/http/app.js';
import { dropTestDb, freshTestDb } from './test-db.js';

/**
 * A real Headway node with its HTTP server on 127.0.0.1, for integration tests of any package.
 *
 *   const server = await startTestServer({ register: (h) => h.runtime.register('email', handler) });
 *   const res = await fetch(`${server.url}/v1/jobs`, { headers: { authorization: `Bearer ${server.adminKey}` } });
 *   afterAll(() => server.close());
 */
export interface TestServerOptions {
  /** Config overrides, e.g. `{ flushIntervalMs: 5, rateLimitPerMinute: 10, bodyLimitBytes: 2048 }`. Defaults: flush every 20 ms, lease 2 s, silent logs, no rate limit. */
  config?: Partial<Config>;
  /** Runs after the node is built and before it starts: register runtime handlers here. */
  register?: (headway: Headway) => void;
  /** Injected clock, milestone percents, store or bus (see createHeadway). */
  headway?: HeadwayOptions;
  /** Reuse this database (restart tests): a SQLite file or a postgres:// URL; by default a fresh one (see test-db.ts). */
  dbPath?: string;
  /** Listen on this port (restart on the same address); by default a free port. */
  port?: number;
  /** The admin key; by default a random one. Pass the previous server's to restart. */
  adminKey?: string;
  /** Dashboard files to serve at `/`; by default none. */
  dashboardDir?: string | null;
  /** Captures the HTTP log lines (set `config.logLevel` too, e.g. 'debug'). */
  logStream?: { write(line: string): unknown };
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  adminKey: string;
  headway: Headway;
  app: FastifyInstance;
  /** The `db` setting: a SQLite file, or a PostgreSQL URL with its own schema under HEADWAY_TEST_STORE=postgres. */
  dbPath: string;
  /** A JSON call with the admin key unless `token` says otherwise (`null`: no Authorization header). */
  request<T = unknown>(method: string, path: string, options?: { token?: string | null; body?: unknown }): Promise<{ status: number; body: T }>;
  /** Stops HTTP and the node (flushing progress) but keeps the database file, for a restart. Idempotent. */
  stop(): Promise<void>;
  /** `stop()`, then deletes the temp folder and database this helper created. Idempotent. */
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'headway-http-')) : null;
  const dbPath = options.dbPath ?? freshTestDb(dir!);
  const adminKey = options.adminKey ?? `hw_admin_${randomBytes(18).toString('base64url')}`;
  const config = Value.Default(ConfigSchema, {
    db: dbPath,
    adminKey,
    flushIntervalMs: 20,
    leaseMs: 2_000,
    logLevel: 'silent',
    rateLimitPerMinute: 0,
    ...options.config,
  }) as Config;
  const headway = await createHeadway(config, { logger: pino({ level: 'silent' }), ...options.headway });
  options.register?.(headway);
  await headway.start();
  let app: FastifyInstance;
  try {
    app = await buildHttpApp(headway, { dashboardDir: options.dashboardDir ?? null, ...(options.logStream ? { logStream: options.logStream } : {}) });
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await headway.stop();
    if (dir) await removeTestDb(dir, dbPath);
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= reportIfSlow('HTTP close', app.close()).then(() => reportIfSlow('node stop', headway.stop())));
  return {
    url,
    port,
    adminKey,
    headway,
    app,
    dbPath,
    async request<T>(method: string, path: string, opts: { token?: string | null; body?: unknown } = {}) {
      const token = opts.token === undefined ? adminKey : opts.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    stop,
    async close() {
      await stop();
      if (dir) await removeTestDb(dir, dbPath);
    },
  };
}

/**
 * Says on stderr which part of a stop is still running after 15 s: a hook timeout alone does not
 * tell a hung HTTP close (an open stream) from a hung node stop (a store call that never ends).
 */
async function reportIfSlow<T>(step: string, work: Promise<T>): Promise<T> {
  const timer = setTimeout(() => process.stderr.write(`test server: ${step} still running after 15 s\n`), 15_000);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

async function removeTestDb(dir: string, db: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  await dropTestDb(db);
}

/** Registers, in the calling file, an afterEach that closes every server the returned function started during the test (newest first). */
export function testServerPerTest(): (options?: TestServerOptions) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterEach(async () => {
    for (const server of started.splice(0).reverse()) await server.close();
  });
  return async (options) => {
    const server = await startTestServer(options);
    started.push(server);
    return server;
  };
}
