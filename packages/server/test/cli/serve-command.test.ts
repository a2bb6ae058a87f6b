import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForServeBanner, type Served } from './fixtures/serve-banner.js';

const RUN_CLI = join(import.meta.dirname, 'fixtures', 'run-cli.ts');

/** Starts `headway serve` in its own process and waits for the line saying where it listens. */
async function serve(args: string[]): Promise<Served & { child: ChildProcess }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HEADWAY_')));
  const child = spawn(process.execPath, ['--conditions=headway-src', '--import', 'tsx', RUN_CLI, 'serve', ...args], { env: { ...env, HEADWAY_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, ...(await waitForServeBanner(child)) };
}

describe('headway serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-cli-serve-'));
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the admin key once on a fresh database, serves with it, and stops cleanly on SIGTERM', async () => {
    const db = join(dir, 'first.db');
    const first = await serve(['--port', '0', '--db', db]);
    running.push(first.child);
    const adminKey = /Admin key \(shown only this once[^:]*: (\S+)/.exec(first.output())?.[1];
    expect(adminKey, first.output()).toMatch(/^hw_admin_/);

    const health = await fetch(`${first.url}/v1/health`);
    expect(health.status).toBe(200);
    const created = await fetch(`${first.url}/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'cli.serve', total: 10 }) });
    expect(created.status).toBe(201);
    const job = (await created.json()) as { id: string };
    await fetch(`${first.url}/v1/jobs/${job.id}/progress`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ done: 7 }) });

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(first.output()).toContain('Stopped.');

    // Same database: the key is not printed again, still works, and the flushed progress survived.
    const second = await serve(['--port', '0', '--db', db]);
    running.push(second.child);
    expect(second.output()).not.toContain(adminKey!);
    expect(second.output()).toMatch(/Admin key: the one printed when this database was first started/);
    const read = await fetch(`${second.url}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { done: number }).done).toBe(7);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });

  it('a bad setting fails at boot with a message naming it', async () => {
    const child = spawn(process.execPath, ['--conditions=headway-src', '--import', 'tsx', RUN_CLI, 'serve', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/invalid setting "port" \(from --port\): "eighty"/);
  });
});
