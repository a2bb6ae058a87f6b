import { spawn } from 'node:child_process';

type Env = Record<string, string | undefined>;

/**
 * The young generation `headway serve` runs with, as `npm start` and the benchmarks do. At 10,000
 * reports/s V8's default 16 MB semi-space is scavenged every ~150 ms in 4–7 ms pauses that hold up
 * every update in flight; with 64 MB there are a third as many, and the per-round report→WebSocket p99
 * falls from a median of 11.9 to 10.9 ms over 18 rounds, none above 21 ms (commit d7d0a43, README).
 * Since fewer objects survive a scavenge (46c01a8) both sizes pause 2–2.4 ms with the same p99; 64 MB
 * still saves about a tenth of the server's CPU.
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=64';

/** Set in the re-executed child, so that it serves instead of starting another one. */
const CHILD_MARKER = 'HEADWAY_SERVE_CHILD';
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SEMI_SPACE_OPTION = /^--max[-_]semi[-_]space[-_]size(=|$)/;
// A debugger attached to this process must find the service in it (a child could not bind the port).
const INSPECTOR_OPTION = /^--inspect/;

/**
 * V8 takes the semi-space size only at start (v8.setFlagsFromString is too late), so `serve`
 * runs this same command once more in a child Node with SEMI_SPACE_FLAG, forwards SIGINT, SIGTERM
 * and SIGHUP to it, and resolves with its exit code. Resolves null when this process is to serve:
 * it is that child, the user chose a semi-space size (node flag or NODE_OPTIONS), a debugger is
 * attached, or on Windows, where a forwarded signal would kill the child before it flushes.
 */
export async function serveInYoungGenerationChild(env: Env): Promise<number | null> {
  if (env[CHILD_MARKER] === '1') {
    stopWhenParentIsGone();
    return null;
  }
  if (process.platform === 'win32' || process.argv[1] === undefined) return null;
  const nodeOptions = [...process.execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (nodeOptions.some((option) => SEMI_SPACE_OPTION.test(option) || INSPECTOR_OPTION.test(option))) return null;
  return runChild(env);
}

function runChild(env: Env): Promise<number> {
  const child = spawn(process.execPath, [SEMI_SPACE_FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    env: { ...env, [CHILD_MARKER]: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const forward = (signal: NodeJS.Signals) => void child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of FORWARDED_SIGNALS) process.off(name, forward);
      // A child killed by a signal: end the same way, so whoever started `headway serve` sees it.
      if (signal !== null) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

/** In the child: the IPC channel closes when the parent dies (even by SIGKILL); stop as on SIGTERM. */
function stopWhenParentIsGone(): void {
  if (!process.channel) return;
  process.channel.unref(); // the channel alone must not keep a stopped server's process alive
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
