import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { waitForServeBanner, type Served } from './fixtures/serve-banner.js';

// The published command, as `npx headway serve` runs it: the bin over the build (CI builds first).
const BIN = fileURLToPath(new URL('../../bin/headway.js', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const FLAG = '--max-semi-space-size=64';

const started: ChildProcess[] = [];

/**
 * Starts the built `headway serve` in a process group of its own (as a shell starts a job, so a
 * test can signal the whole group like a terminal's Ctrl-C) and waits for its banner.
 */
async function serve(db: string, extraEnv: Record<string, string> = {}): Promise<Served & { parent: ChildProcess }> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build -w packages/server first`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HEADWAY_') && name !== 'NODE_OPTIONS'));
  const parent = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { env: { ...env, HEADWAY_LOG_LEVEL: 'warn', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(parent);
  return { parent, ...(await waitForServeBanner(parent)) };
}

/** Live processes whose parent is `pid`, from /proc/<pid>/stat (field 4 is the parent's pid). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readStat(Number(entry));
    if (stat && stat.ppid === pid && stat.state !== 'Z') children.push(Number(entry));
  }
  return children;
}

/** State and parent pid, or null once the process is gone (a process may exit while we look). */
function readStat(pid: number): { state: string; ppid: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    throw error;
  }
  // The command name in parentheses may hold spaces; the fields after it are state, ppid, ...
  const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: state!, ppid: Number(ppid) };
}

function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

function argsOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The one child `headway serve` started to run the service. */
function serviceChildOf(served: Served & { parent: ChildProcess }): number {
  const children = childrenOf(served.parent.pid!);
  expect(children, served.output()).toHaveLength(1);
  return children[0]!;
}

describe.skipIf(process.platform !== 'linux')('headway serve with a 64 MB young generation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-cli-young-'));
  afterAll(() => {
    for (const parent of started) {
      try {
        process.kill(-parent.pid!, 'SIGKILL'); // the whole group: parent and the child serving
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from a child node started with --max-semi-space-size=64; SIGTERM to the parent stops both, exit code 0', async () => {
    const served = await serve(join(dir, 'sigterm.db'));
    const child = serviceChildOf(served);
    expect(argsOf(child)).toEqual([process.execPath, FLAG, BIN, 'serve', '--port', '0', '--db', join(dir, 'sigterm.db')]);
    expect(argsOf(served.parent.pid!)).not.toContain(FLAG);
    expect(served.output().match(/listening on/g)).toHaveLength(1);
    expect((await fetch(`${served.url}/v1/health`)).status).toBe(200);

    served.parent.kill('SIGTERM');
    expect(await served.exited).toEqual({ code: 0, signal: null });
    expect(served.output()).toContain('Stopped.');
    await waitFor(`the child ${child} to exit`, () => !isRunning(child), 20_000);
  });

  it('Ctrl-C in a terminal (SIGINT to parent and child at once, then forwarded) still stops cleanly', async () => {
    const served = await serve(join(dir, 'ctrl-c.db'));
    const child = serviceChildOf(served);
    process.kill(-served.parent.pid!, 'SIGINT'); // the terminal signals the foreground process group
    expect(await served.exited).toEqual({ code: 0, signal: null });
    expect(served.output()).toContain('Stopped.');
    await waitFor(`the child ${child} to exit`, () => !isRunning(child), 20_000);
  });

  it('a child whose parent is killed with SIGKILL stops by itself, flushing as on SIGTERM', async () => {
    const served = await serve(join(dir, 'sigkill.db'));
    const child = serviceChildOf(served);
    served.parent.kill('SIGKILL');
    expect((await served.exited).signal).toBe('SIGKILL');
    await waitFor(`the orphaned child ${child} to exit`, () => !isRunning(child), 20_000);
    // Its stdout is the same pipe, still read here: the stop was the orderly one.
    await waitFor('"Stopped." from the child', () => served.output().includes('Stopped.'), 5_000);
  });

  it('a semi-space size the user chose in NODE_OPTIONS is kept: no child, the process started serves', async () => {
    const served = await serve(join(dir, 'chosen.db'), { NODE_OPTIONS: '--max-semi-space-size=32' });
    expect(childrenOf(served.parent.pid!)).toEqual([]);
    expect((await fetch(`${served.url}/v1/health`)).status).toBe(200);
    served.parent.kill('SIGTERM');
    expect(await served.exited).toEqual({ code: 0, signal: null });
    expect(served.output()).toContain('Stopped.');
  });
});
