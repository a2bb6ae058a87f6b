import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type ConfigFlags } from '../config/load.js';
import { createHeadway } from '../create-headway.js';
import { startDemo } from '../demo/index.js';
import type { Headway } from '../headway.js';
import { buildHttpApp } from '../http/app.js';
import { ensureAdminKey } from '../http/auth/secrets.js';
import { DEFAULT_DASHBOARD_DIR } from '../http/dashboard.js';

export interface RunningServer {
  url: string;
  headway: Headway;
  app: FastifyInstance;
  /** Stops the demo, closes HTTP (in-flight requests finish), flushes and closes the node. */
  stop(): Promise<void>;
}

/**
 * `headway serve`: one node with its HTTP server. Prints where it listens and, on a fresh
 * database without HEADWAY_ADMIN_KEY, the generated admin key: once, as it is kept only hashed.
 */
export async function runServe(flags: ConfigFlags, env: Record<string, string | undefined>, out: Writable): Promise<RunningServer> {
  const config = loadConfig(flags, env);
  const headway = await createHeadway(config);
  let app: FastifyInstance | undefined;
  let stopDemo: (() => void) | undefined;
  try {
    const admin = await ensureAdminKey(headway.store.keys, config.adminKey);
    await headway.start();
    app = await buildHttpApp(headway);
    await app.listen({ host: config.host, port: config.port });
    const url = urlOf(config.host, (app.server.address() as AddressInfo).port);
    if (config.demo) stopDemo = startDemo(headway);
    printBanner(out, { url, db: config.db, generatedKey: admin.generatedKey, configuredKey: config.adminKey !== undefined, demo: config.demo });
    let stopping: Promise<void> | undefined;
    const server = app;
    return {
      url,
      headway,
      app,
      stop: () =>
        (stopping ??= (async () => {
          stopDemo?.();
          await server.close();
          await headway.stop();
        })()),
    };
  } catch (error) {
    stopDemo?.();
    await app?.close();
    await headway.stop();
    throw error;
  }
}

function printBanner(out: Writable, info: { url: string; db: string; generatedKey: string | null; configuredKey: boolean; demo: boolean }): void {
  const lines = [`Headway is listening on ${info.url} (database ${withoutPassword(info.db)})${info.demo ? ', demo jobs flowing' : ''}`];
  const hasDashboard = existsSync(join(DEFAULT_DASHBOARD_DIR, 'index.html'));
  if (info.generatedKey) {
    lines.push(
      `Admin key (shown only this once, it is stored hashed): ${info.generatedKey}`,
      hasDashboard ? `Dashboard, signed in: ${info.url}/?token=${encodeURIComponent(info.generatedKey)}` : `API: ${info.url}/v1 (documented at ${info.url}/v1/openapi.json)`,
    );
  } else {
    lines.push(hasDashboard ? `Dashboard: ${info.url}/` : `API: ${info.url}/v1 (documented at ${info.url}/v1/openapi.json)`);
    lines.push(info.configuredKey ? 'Admin key: the one in HEADWAY_ADMIN_KEY' : 'Admin key: the one printed when this database was first started (or set HEADWAY_ADMIN_KEY)');
  }
  if (!hasDashboard) lines.push('The dashboard is not built; run `npm run build -w packages/dashboard` to serve it at /.');
  out.write(`${lines.join('\n')}\n`);
}

/** A wildcard bind address is not something to open in a browser. */
function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** A postgres:// URL may carry a password: never print it. */
function withoutPassword(db: string): string {
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return url.protocol.startsWith('postgres') ? url.toString() : db;
  } catch {
    return db; // a SQLite path
  }
}
