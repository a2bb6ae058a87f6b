import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from '../../src/config/config.js';
import { createHeadway, type HeadwayOptions } from '../../src/create-headway.js';
import type { Headway } from '../../src/headway.js';
import { dropTestDb, freshTestDb } from './test-db.js';
import { waitFor, type Check } from './wait.js';

export interface TestNode {
  headway: Headway;
  dir: string;
  dbPath: string;
  /** Stops the node; the temp folder and database stay until `cleanup`. */
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A config with the schema's defaults, a fresh database (see test-db.ts), a fresh temp folder, and fast loops. */
export function testConfig(overrides: Partial<Config> = {}): { config: Config; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'headway-test-'));
  const config = Value.Default(ConfigSchema, { db: freshTestDb(dir), flushIntervalMs: 20, leaseMs: 2_000, logLevel: 'silent', ...overrides }) as Config;
  return { config, dir };
}

/** A Headway node (no HTTP) on a fresh database; `register` runs before start. */
export async function startTestNode(
  options: { config?: Partial<Config>; register?: (headway: Headway) => void; headway?: HeadwayOptions } = {},
): Promise<TestNode> {
  const { config, dir } = testConfig(options.config);
  const headway = await createHeadway(config, { logger: pino({ level: 'silent' }), ...options.headway });
  options.register?.(headway);
  await headway.start();
  let stopped = false;
  return {
    headway,
    dir,
    dbPath: config.db,
    async stop() {
      if (stopped) return;
      stopped = true;
      await headway.stop();
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      await dropTestDb(config.db);
    },
  };
}

/**
 * Registers, in the calling file, an afterEach that stops every node the returned function started
 * during the test and removes its folder and database.
 */
export function testNodePerTest(): (options?: Parameters<typeof startTestNode>[0]) => Promise<TestNode> {
  const started: TestNode[] = [];
  afterEach(async () => {
    for (const node of started.splice(0)) {
      await node.stop();
      await node.cleanup();
    }
  });
  return async (options) => {
    const node = await startTestNode(options);
    started.push(node);
    return node;
  };
}

/** waitFor (wait.ts) with the check first, as the server's tests call it. */
export function eventually<T>(check: Check<T>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  return waitFor(what, check, timeoutMs);
}
