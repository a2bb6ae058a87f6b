import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Store } from '../store.js';
import { assertSqliteSchemaNotNewer } from './migrate.js';
import { SqliteDb } from './sqlite-db.js';
import { SqliteStore } from './sqlite-store.js';
import { startReaderThread } from './reader-thread.js';
import { registerSqlFunctions } from './sql-functions.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import { startWriterThread } from './writer-thread.js';
import { runProgressWrites } from './progress.js';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteStoreOptions {
  /**
   * A long-running node checkpoints a file's WAL, runs text searches and writes progress on
   * threads of their own, off the event loop; failures go to this logger.
   */
  background?: { logger: Logger };
}

/**
 * Opens (creating it and its folder if needed) a SQLite database file, or ':memory:'. Refuses
 * a file migrated by a newer Headway. Call `migrate()` before use.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new Database(path);
  const db = new SqliteDb(connection);
  try {
    // WAL: readers never block the writer; NORMAL: durable across process crashes, and an OS
    // crash can lose only the last transactions, never corrupt the file.
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    connection.pragma('foreign_keys = ON');
    registerSqlFunctions(connection);
    assertSqliteSchemaNotNewer(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const background = options.background;
  if (!background || connection.memory) return new SqliteStore(db); // no file, no WAL, no second connection
  const checkpointer = startWalCheckpointer(connection, background.logger);
  db.onWrite = checkpointer.wrote;
  const reader = startReaderThread(connection, background.logger, (sql, params) => db.all(sql, ...params));
  const writer = startWriterThread(connection, background.logger, { busyTimeoutMs: BUSY_TIMEOUT_MS, onWrite: checkpointer.wrote }, (writes) =>
    runProgressWrites(db, writes),
  );
  return new SqliteStore(db, { checkpointer, reader, writer });
}
