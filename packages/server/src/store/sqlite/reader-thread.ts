import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { startDbThread } from './db-thread.js';
import { registerSqlFunctions } from './sql-functions.js';

/**
 * The thread's code (see DbThreadOptions.source). A read-only connection of its own to the same file: in WAL mode it
 * reads the last committed state without ever blocking the writer, and sees every commit the
 * main connection made before the query was posted.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
(${registerSqlFunctions.toString()})(db);
const statements = new Map();
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    return parentPort.close();
  }
  try {
    const { sql } = message.question;
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 100) statements.clear();
      statements.set(sql, (statement = db.prepare(sql)));
    }
    parentPort.postMessage({ id: message.id, answer: statement.all(...message.question.params) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

/** Runs a read-only query that reads many rows, wherever it holds up nothing (see SqliteStore). */
export type Scan = <R>(sql: string, params: unknown[]) => Promise<R[]>;

export interface ReaderThread {
  /** Runs a read-only query on the thread (on the main connection once the thread is gone); rejects with SQLite's error. */
  all<R>(sql: string, params: unknown[]): Promise<R[]>;
  /** Stops the thread (its connection closed) once the queries posted before have been answered. */
  stop(): Promise<void>;
}

/**
 * Runs queries that scan the table (a text search or the analytics read every job of their range:
 * 0.3–0.6 s for 300,000 jobs here) on a thread of their own, so they hold up neither reports nor live
 * updates, which better-sqlite3 would otherwise stop for the whole scan. Queries run one at a
 * time, in the order posted. If the thread dies, `fallback` answers instead (the main
 * connection), so a search is never refused for it.
 */
export function startReaderThread(connection: Database.Database, logger: Logger, fallback: (sql: string, params: unknown[]) => unknown[]): ReaderThread {
  const thread = startDbThread<{ sql: string; params: unknown[] }, unknown[]>({
    source: WORKER_SOURCE,
    workerData: { path: connection.name },
    logger,
    stoppedMessage: 'sqlite:reader thread stopped; searches run on the main connection',
    path: connection.name,
    fallback: ({ sql, params }) => fallback(sql, params),
  });
  return {
    all: <R>(sql: string, params: unknown[]) => thread.ask({ sql, params }) as Promise<R[]>,
    stop: () => thread.stop(),
  };
}
