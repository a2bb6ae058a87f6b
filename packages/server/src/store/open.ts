import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/index.js';
import type { Store } from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Whether a database setting names PostgreSQL (else it is a SQLite file, or ':memory:'). */
export function isPostgresUrl(db: string): boolean {
  return POSTGRES_URL.test(db);
}

/**
 * Opens the store the config names: a postgres:// URL, or a SQLite file path (or ':memory:').
 * A `schema` query parameter (`postgres://…/headway?schema=team_a`) puts Headway's tables in that
 * schema, so several deployments (or test runs) can share one database.
 */
export async function openStore(urlOrPath: string, sqliteOptions: SqliteStoreOptions = {}): Promise<Store> {
  if (!POSTGRES_URL.test(urlOrPath)) return openSqliteStore(urlOrPath, sqliteOptions);
  const { url, schema } = splitSchema(urlOrPath);
  return openPostgresStore(url, schema === undefined ? {} : { schema });
}

/** The URL without its `schema` parameter (PostgreSQL itself would reject it), and that schema. */
function splitSchema(urlText: string): { url: string; schema?: string } {
  const queryAt = urlText.indexOf('?');
  if (queryAt < 0) return { url: urlText };
  const params = new URLSearchParams(urlText.slice(queryAt + 1));
  const schema = params.get('schema');
  if (schema === null) return { url: urlText };
  params.delete('schema');
  const rest = params.toString();
  return { url: urlText.slice(0, queryAt) + (rest ? `?${rest}` : ''), schema };
}
