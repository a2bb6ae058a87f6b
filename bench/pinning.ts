import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Keeps a server and its load generator on cores of their own (Linux `taskset`, all threads), so
 * the two do not trade places from one round to the next. Unpinned, bare Fastify's figure on this
 * 2-core machine swung between 468,000 and 863,000 reports/s from run to run with the same code,
 * and the ratio with it. Answers how the processes were placed, for the bench to print.
 */
export function pinApart(serverPids: number[]): { placement: string; unpin: () => void } {
  const cores = cpus().length;
  if (process.platform !== 'linux' || cores < 2) return { placement: 'not pinned (needs Linux and 2 cores)', unpin: () => undefined };
  try {
    for (const pid of serverPids) taskset(String(cores - 1), pid);
    taskset('0', process.pid);
  } catch (error) {
    return { placement: `not pinned (taskset: ${(error as Error).message.split('\n')[0]})`, unpin: () => undefined };
  }
  return {
    placement: `servers pinned to core ${cores - 1}, load generator to core 0`,
    unpin: () => taskset(`0-${cores - 1}`, process.pid),
  };
}

function taskset(cores: string, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], { stdio: 'ignore' });
}
