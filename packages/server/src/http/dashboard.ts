import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** packages/dashboard/dist, seen from src/http or dist/http of the server package. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

/** Serves the dashboard's built files at `/` when they exist; answers whether it does. */
export async function registerDashboard(app: FastifyInstance, dir: string | null): Promise<boolean> {
  if (dir === null || !existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, { root: dir, prefix: '/', index: 'index.html' });
  return true;
}
