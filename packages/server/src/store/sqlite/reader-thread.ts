import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { registerSqlFunctions } from './sql-functions.js';

/**
 * The thread's code, as CommonJS text (a worker cannot load this package's TypeScript sources
 * under the test runner). A read-only connection of its own to the same file: in WAL mode it
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
    let statement = statements.get(message.sql);
    if (!statement) {
      if (statements.size >= 100) statements.clear();
      statements.set(message.sql, (statement = db.prepare(message.sql)));
    }
    parentPort.postMessage({ id: message.id, rows: statement.all(...message.params) });
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

interface Answer {
  id: number;
  rows?: unknown[];
  error?: string;
}

/**
 * Runs queries that scan the table (a text search or the analytics read every job of their range:
 * 0.3–0.6 s for 300,000 jobs here) on a thread of their own, so they hold up neither reports nor live
 * updates, which better-sqlite3 would otherwise stop for the whole scan. Queries run one at a
 * time, in the order posted. If the thread dies, `fallback` answers instead (the main
 * connection), so a search is never refused for it.
 */
export function startReaderThread(connection: Database.Database, logger: Logger, fallback: (sql: string, params: unknown[]) => unknown[]): ReaderThread {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: connection.name },
  });
  const waiting = new Map<number, { sql: string; params: unknown[]; resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let gone = false;
  // Queries the thread took but never answered run on the main connection instead.
  const answerHere = () => {
    for (const { sql, params, resolve, reject } of waiting.values()) {
      try {
        resolve(fallback(sql, params));
      } catch (error) {
        reject(error as Error);
      }
    }
    waiting.clear();
  };
  worker.on('message', ({ id, rows, error }: Answer) => {
    const caller = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error !== undefined) caller?.reject(new Error(error));
    else caller?.resolve(rows ?? []);
  });
  worker.on('error', (error) => {
    if (!gone) logger.error({ err: error, db: connection.name }, 'sqlite:reader thread stopped; searches run on the main connection');
    gone = true;
    answerHere();
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      gone = true;
      answerHere();
      resolve();
    }),
  );
  // Idle, the thread must not keep a process alive that is otherwise done; a query it has not
  // answered yet must (an awaited search would otherwise end the process with nothing to do).
  worker.unref();
  return {
    all<R>(sql: string, params: unknown[]): Promise<R[]> {
      if (gone) return new Promise<R[]>((resolve) => resolve(fallback(sql, params) as R[])); // a throw becomes a rejection
      const id = nextId++;
      return new Promise<unknown[]>((resolve, reject) => {
        waiting.set(id, { sql, params, resolve, reject });
        worker.ref();
        worker.postMessage({ id, sql, params });
      }) as Promise<R[]>;
    },
    async stop() {
      if (gone) return;
      worker.ref(); // or nothing would keep the process alive until the thread has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
