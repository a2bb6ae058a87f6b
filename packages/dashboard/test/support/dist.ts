import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = join(DASHBOARD_DIR, 'dist');

/**
 * The browser tests need the built dashboard. CI builds it before the tests; a developer who
 * runs one test file gets it built here once (Vite takes a few seconds).
 */
export function ensureDashboardBuilt(): string {
  if (existsSync(join(DIST_DIR, 'index.html'))) return DIST_DIR;
  const vite = join(DASHBOARD_DIR, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV is `test` under vitest; Vite would then bundle React's development build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: DASHBOARD_DIR, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`building the dashboard failed:\n${result.stderr || result.stdout}`);
  return DIST_DIR;
}
