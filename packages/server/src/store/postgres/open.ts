import { HeadwayError } from '@headway/protocol';
import type { Store } from '../store.js';
import { assertPostgresSchemaNotNewer } from './migrate.js';
import { PgDb } from './pg-db.js';
import { PostgresStore } from './postgres-store.js';

export interface PostgresStoreOptions {
  /** Schema for Headway's tables (default `public`); created by `migrate()` when missing. */
  schema?: string;
  /** Pool size per node (default 10). */
  maxConnections?: number;
  /** Errors of idle pooled connections (the server went away); default: ignored, health reports them. */
  onError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a pool on a postgres:// URL, checks the server answers and its schema is not newer than
 * this code. Call `migrate()` before use.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new HeadwayError('VALIDATION_FAILED', `PostgreSQL schema "${schema}" must be lower-case letters, digits and _ (at most 63), starting with a letter or _`);
  }
  const db = new PgDb({ connectionString: url, schema, maxConnections: options.maxConnections ?? 10, onError: options.onError ?? (() => undefined) });
  try {
    // The pool itself, not db.run: at start the message should say what to fix, not "retry".
    await db.pool.query('SELECT 1').catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new HeadwayError('NOT_READY', `cannot reach PostgreSQL at ${serverOf(url)} (${reason}); start it or fix --db (HEADWAY_DB)`);
    });
    await assertPostgresSchemaNotNewer(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new PostgresStore(db);
}

/** host:port/database of a URL, never its password, for messages. */
function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}
