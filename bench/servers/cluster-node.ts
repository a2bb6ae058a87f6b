/**
 * One node of a several-node deployment for bench/several-nodes.ts: PostgreSQL store, Redis bus,
 * HTTP on a free port. argv: adminKey, postgres URL, redis URL, redis prefix. Sends `{port}` when
 * it listens; answers `{type:'cpu'}` with its CPU time so far (`{type:'cpu', ms}`); stops on SIGTERM.
 */
import { pino } from 'pino';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from '../../packages/server/dist/config/config.js';
import { createHeadway } from '../../packages/server/dist/create-headway.js';
import { buildHttpApp } from '../../packages/server/dist/http/app.js';

const [adminKey, db, redis, redisPrefix] = process.argv.slice(2);
const config = Value.Default(ConfigSchema, { db, redis, redisPrefix, adminKey, logLevel: 'silent', rateLimitPerMinute: 0, port: 0 }) as Config;
const headway = await createHeadway(config, { logger: pino({ level: 'silent' }) });
await headway.start();
const app = await buildHttpApp(headway, { dashboardDir: null });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('message', (message: { type?: string }) => {
  if (message?.type !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ type: 'cpu', ms: (user + system) / 1000 });
});
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => headway.stop())
    .finally(() => process.exit(0));
});
