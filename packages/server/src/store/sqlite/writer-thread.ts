import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { startDbThread } from './db-thread.js';
import type { ProgressWrites } from './progress.js';
import { registerSqlFunctions } from './sql-functions.js';

/**
 * The thread's code (see DbThreadOptions.source). A connection of its own to the same file, set up as the main one
 * (open.ts), whose commits seldom reach SQLite's checkpoint threshold while the checkpoint thread
 * keeps the WAL short (wal-checkpointer.ts). Each message is one
 * BEGIN IMMEDIATE transaction: SQLite's single write lock orders it with the main connection's.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('foreign_keys = ON');
(${registerSqlFunctions.toString()})(db);
const statements = new Map();
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= 100) statements.clear();
    statements.set(sql, (statement = db.prepare(sql)));
  }
  return statement;
};
const write = db.transaction((writes, unchanged) => {
  const used = writes.sql.map(prepared);
  for (let row = 0; row < writes.values.length; row++) {
    if (used[writes.statementOf[row]].run(writes.values[row]).changes === 0) unchanged.push(row);
  }
});
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    return parentPort.close();
  }
  const startedAt = performance.now();
  try {
    const unchanged = [];
    write.immediate(message.question, unchanged);
    parentPort.postMessage({ id: message.id, answer: { unchanged, busyMs: performance.now() - startedAt } });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

export interface WrittenProgress {
  /** Rows of the writes no UPDATE changed. */
  unchanged: number[];
  /** How long the write held the thread that ran it. */
  busyMs: number;
}

export interface WriterThread {
  /** Runs planned progress writes in one transaction on the thread (on the main connection once the thread is gone); rejects with SQLite's error. */
  write(writes: ProgressWrites): Promise<WrittenProgress>;
  /** Stops the thread (its connection closed) once the writes posted before are committed. */
  stop(): Promise<void>;
}

export interface WriterThreadOptions {
  busyTimeoutMs: number;
  /** Told after each committed write (the checkpointer listens). */
  onWrite: () => void;
}

/**
 * Writes progress from a thread of its own. A flush slice of 50 jobs held the event loop 0.3 ms
 * (p99 1.4 ms, up to 3.5), and every report and live update arriving meanwhile waited that long:
 * a third of the slowest 1% of live updates at 10,000 reports a second overlapped one. On the
 * thread, the loop only plans the UPDATEs; the main connection still writes transitions and jobs,
 * and waits for the lock (busy_timeout) on the rare commit that meets a progress write. Writes
 * run one at a time, in the order posted. If the thread dies, `fallback` runs them instead (the
 * main connection), so progress is never refused for it.
 */
export function startWriterThread(
  connection: Database.Database,
  logger: Logger,
  options: WriterThreadOptions,
  fallback: (writes: ProgressWrites) => number[],
): WriterThread {
  const thread = startDbThread<ProgressWrites, WrittenProgress>({
    source: WORKER_SOURCE,
    workerData: { path: connection.name, busyTimeoutMs: options.busyTimeoutMs },
    logger,
    stoppedMessage: 'sqlite:writer thread stopped; progress is written on the main connection',
    path: connection.name,
    // A write the thread committed without answering runs again: the same values under the same guards.
    fallback: (writes) => {
      const startedAt = performance.now();
      const unchanged = fallback(writes);
      return { unchanged, busyMs: performance.now() - startedAt };
    },
  });
  return {
    async write(writes) {
      const written = await thread.ask(writes);
      options.onWrite();
      return written;
    },
    stop: () => thread.stop(),
  };
}
