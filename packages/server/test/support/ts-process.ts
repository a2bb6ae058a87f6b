import { spawn } from 'node:child_process';

/** Runs a TypeScript file of the tests in a process of its own (sources, not dist); answers its exit code and all it printed. */
export async function runTsProcess(file: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--conditions=headway-src', '--import', 'tsx', file, ...args], { cwd: process.cwd() });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out };
}
