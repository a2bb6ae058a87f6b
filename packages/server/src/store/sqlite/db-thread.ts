import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** A thread with a SQLite connection of its own that answers questions one at a time, in the order asked. */
export interface DbThread<Question, Answer> {
  /** Answered by the thread, or by `fallback` once the thread is gone; rejects with the thread's error. */
  ask(question: Question): Promise<Answer>;
  /** Stops the thread (its connection closed) once the questions asked before are answered. */
  stop(): Promise<void>;
}

export interface DbThreadOptions<Question, Answer> {
  /**
   * The thread's code, as CommonJS text (a worker cannot load this package's TypeScript sources
   * under the test runner). It gets `workerData.driver` (better-sqlite3's path) and the given
   * `workerData`, answers each `{id, question}` with `{id, answer}` or `{id, error}`, and closes
   * its connection and its port on the message 'stop'.
   */
  source: string;
  workerData: Record<string, unknown>;
  logger: Logger;
  /** Logged once (with the error or exit code, and `path`) when the thread ends without being stopped. */
  stoppedMessage: string;
  path: string;
  /** Answers in this process, on the main connection, once the thread is gone. */
  fallback: (question: Question) => Answer;
}

interface Reply<Answer> {
  id: number;
  answer?: Answer;
  error?: string;
}

/**
 * Starts a SQLite thread (reader-thread.ts, writer-thread.ts). If the thread dies, questions it
 * took and never answered, and every later one, are answered by `fallback`: work is never
 * refused for it. Idle, the thread does not keep the process alive; a question not yet answered does.
 */
export function startDbThread<Question, Answer>(options: DbThreadOptions<Question, Answer>): DbThread<Question, Answer> {
  const worker = new Worker(options.source, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), ...options.workerData },
  });
  const waiting = new Map<number, { question: Question; resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let gone = false;
  const answerHere = () => {
    for (const { question, resolve, reject } of waiting.values()) {
      try {
        resolve(options.fallback(question));
      } catch (error) {
        reject(error as Error);
      }
    }
    waiting.clear();
  };
  worker.on('message', ({ id, answer, error }: Reply<Answer>) => {
    const caller = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error !== undefined) caller?.reject(new Error(error));
    else caller?.resolve(answer as Answer);
  });
  let stopping = false;
  worker.on('error', (error) => {
    if (!gone) options.logger.error({ err: error, db: options.path }, options.stoppedMessage);
    gone = true;
    answerHere();
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (exitCode) => {
      // Ended without being asked to and without an error event (terminated, or exited by itself).
      if (!gone && !stopping) options.logger.error({ exitCode, db: options.path }, options.stoppedMessage);
      gone = true;
      answerHere();
      resolve();
    }),
  );
  worker.unref();
  return {
    ask(question) {
      if (gone) return new Promise<Answer>((resolve) => resolve(options.fallback(question))); // a throw becomes a rejection
      const id = nextId++;
      return new Promise<Answer>((resolve, reject) => {
        waiting.set(id, { question, resolve, reject });
        worker.ref();
        worker.postMessage({ id, question });
      });
    },
    async stop() {
      if (gone) return;
      stopping = true;
      worker.ref(); // or nothing would keep the process alive until the thread has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
