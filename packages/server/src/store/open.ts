import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Opens the store the config names: a postgres:// URL, or a SQLite file path (or ':memory:'). */
export async function openStore(urlOrPath: string): Promise<Store> {
  if (POSTGRES_URL.test(urlOrPath)) return openPostgresStore(urlOrPath);
  return openSqliteStore(urlOrPath);
}
