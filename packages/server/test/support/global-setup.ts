import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Starts a real PostgreSQL and a real Redis on loopback for the whole run, unless
 * HEADWAY_TEST_PG / HEADWAY_TEST_REDIS already point at servers. Suites read the URLs with
 * `inject('pgUrl')` / `inject('redisUrl')`; see services.ts (which declares them). Stops what it started.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => void> = [];
  const stopAll = () => {
    for (const stop of stops.reverse()) stop();
  };
  try {
    const pgUrl = process.env.HEADWAY_TEST_PG ?? (await startPostgres(stops));
    const redisUrl = process.env.HEADWAY_TEST_REDIS ?? (await startRedis(stops));
    project.provide('pgUrl', pgUrl);
    project.provide('redisUrl', redisUrl);
  } catch (error) {
    stopAll(); // Redis failing to start must not leave the PostgreSQL started before it running
    throw error;
  }
  return async () => stopAll();
}

async function startPostgres(stops: Array<() => void>): Promise<string | null> {
  if (!existsSync(join(PG_BIN, 'initdb'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'headway-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    chownSync(dir, uid('postgres'), gid('postgres'));
    chownSync(data, uid('postgres'), gid('postgres'));
  }
  const port = await freePort();
  run(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'pg.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=300 -c fsync=off`, 'start']);
  stops.push(() => {
    try {
      run(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function startRedis(stops: Array<() => void>): Promise<string | null> {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!bin) return null;
  const port = await freePort();
  const child = spawn(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  stops.push(() => child.kill('SIGTERM'));
  const url = `redis://127.0.0.1:${port}`;
  await waitForPort(port);
  return url;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function uid(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
function gid(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}
