/**
 * A Headway node in its own process for the HTTP benchmarks: temp SQLite file (or --db),
 * admin key from argv. Sends `{port}` to the parent when it listens; stops on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from '../../packages/server/dist/config/config.js';
import { createHeadway } from '../../packages/server/dist/create-headway.js';
import { buildHttpApp } from '../../packages/server/dist/http/app.js';
import { reportGcPauses } from './gc-pauses.js';

const [adminKey, db] = process.argv.slice(2);
reportGcPauses();
const dir = mkdtempSync(join(tmpdir(), 'headway-bench-node-'));
// The worker key's rate limit stays on (its cost is measured) but above what the bench sends:
// one key posting 4,000 batches a second passes the default 60,000 requests a minute in 15 s.
const config = Value.Default(ConfigSchema, { db: db || join(dir, 'bench.db'), adminKey, logLevel: 'silent', port: 0, rateLimitPerMinute: 100_000_000 }) as Config;
const headway = await createHeadway(config, { logger: pino({ level: 'silent' }) });
await headway.start();
const app = await buildHttpApp(headway);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => headway.stop())
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
