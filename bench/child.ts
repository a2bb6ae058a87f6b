import { fork, type ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import pg from 'pg';

/**
 * The node flags `npm start` gives the service (the README recommends them for production):
 * Headway's servers here run with them, and so do the references (bare Fastify; BullMQ in this
 * process, by `npm run bench`), so that no side gains from runtime flags alone.
 */
export const SERVE_NODE_FLAGS = ((): string[] => {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const flags = /\bnode((?:\s+--\S+)*)\s+packages\/server\/bin\/headway\.js\b/.exec(scripts.start)?.[1];
  if (flags === undefined) throw new Error(`cannot read node flags from the start script: ${scripts.start}`);
  return flags.trim().split(/\s+/).filter(Boolean);
})();

const createdSchemas: string[] = [];

/**
 * A fresh schema in the PostgreSQL database `db` names: every part of the bench starts on empty
 * tables, as it does on SQLite (a temp file each), so no earlier part's or run's jobs count.
 * `dropFreshSchemas` removes them when the run ends.
 */
export function freshSchema(db: string): string {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  createdSchemas.push(schema);
  return `${db}${db.includes('?') ? '&' : '?'}schema=${schema}`;
}

/**
 * Refreshes the planner's statistics of the schema a `freshSchema` URL names, as autovacuum does
 * within a minute of a bulk load: a history of 30 days is never queried on the empty-table
 * estimates a load leaves (a text search then took the trigram index for a word in every job).
 */
export async function analyzeSchema(url: string): Promise<void> {
  const schema = /[?&]schema=([^&]*)/.exec(url)?.[1];
  if (!schema) return;
  const client = new pg.Client({ connectionString: url.replace(/[?&]schema=[^&]*/, '') });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string }>('SELECT tablename AS table FROM pg_tables WHERE schemaname = $1', [schema]);
    for (const { table } of rows) await client.query(`ANALYZE ${schema}.${table}`);
  } finally {
    await client.end();
  }
}

/**
 * Drops the schemas this run created in `db`, with their jobs: a bench run must not leave
 * tens of thousands of rows in the user's database, nor tables for its autovacuum to visit
 * in every later run. Call it once the servers using them have stopped.
 */
export async function dropFreshSchemas(db: string): Promise<void> {
  const client = new pg.Client({ connectionString: db.replace(/[?&]schema=[^&]*/, '') });
  await client.connect();
  try {
    for (const schema of createdSchemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a TypeScript server script in its own process and resolves with what it sends when ready.
 * `nodeFlags` go to that process's node (e.g. `--cpu-prof` to profile it).
 */
export function startChild<T>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(script, args, { execArgv: ['--import', 'tsx', ...SERVE_NODE_FLAGS, ...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ child, ready: ready as T }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A throwaway Redis on loopback for the BullMQ reference (unless HEADWAY_BENCH_REDIS is set). */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  if (process.env.HEADWAY_BENCH_REDIS) return { url: process.env.HEADWAY_BENCH_REDIS, stop: () => undefined };
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!bin) throw new Error('redis-server is not installed: apt-get install -y redis-server');
  const port = await freePort();
  const child = spawn(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The next IPC message of `type` from a bench child; rejects if the child exits first. */
export function nextMessage<T = unknown>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`a bench client exited with ${code} before sending "${type}"`));
    };
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
