import { HeadwayError } from '@headway/protocol';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Opens the store the config names: a postgres:// URL, or a SQLite file path (or ':memory:'). */
export async function openStore(urlOrPath: string): Promise<Store> {
  if (POSTGRES_URL.test(urlOrPath)) {
    throw new HeadwayError(
      'VALIDATION_FAILED',
      'PostgreSQL databases are not supported by this build yet; pass a SQLite file path to --db (HEADWAY_DB), e.g. ./headway.db',
    );
  }
  return openSqliteStore(urlOrPath);
}
