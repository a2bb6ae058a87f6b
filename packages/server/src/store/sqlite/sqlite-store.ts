import type { AnalyticsStore } from '../analytics-store.js';
import type { NotificationStore } from '../notification-store.js';
import type { JobStore, KeyStore, Store } from '../store.js';
import { sqliteAnalyticsStore } from './analytics.js';
import { eventsSince, jobEvents, latestCursor } from './events.js';
import { claimJobs, renewLeases } from './jobs-claim.js';
import { GroupedCommits } from './grouped-commits.js';
import { getJob, getJobs } from './jobs-get.js';
import { findIdempotencyKeys, insertJobs } from './jobs-insert.js';
import { indexedPhraseFor, indexFinishedTexts, tidyFinishedTextIndex } from './finished-text-index.js';
import { listJobs, listStatement, pageOf } from './jobs-list.js';
import type { Row } from './job-rows.js';
import { purgeFinished } from './jobs-purge.js';
import { requeueJobs } from './jobs-requeue.js';
import { runningFacts } from './jobs-running.js';
import { childSummary, recentDurations } from './jobs-summary.js';
import { sqliteKeyStore } from './keys.js';
import { sqliteNotificationStore } from './notifications/index.js';
import { assertSqliteSchemaNotNewer, migrateSqlite } from './migrate.js';
import { progressWrites, runProgressWrites, staleIds } from './progress.js';
import { abandonedJournal, deleteFiles, FileJournal, leftJournal } from './progress-journal.js';
import type { SqliteDb } from './sqlite-db.js';
import type { ReaderThread, Scan } from './reader-thread.js';
import type { WalCheckpointer } from './wal-checkpointer.js';
import type { WriterThread } from './writer-thread.js';

/** The threads a long-running node's store works with (see open.ts). */
export interface SqliteThreads {
  checkpointer: WalCheckpointer;
  reader: ReaderThread;
  writer: WriterThread;
}

/**
 * The embedded store. better-sqlite3 is synchronous, so each operation runs to completion
 * (one transaction) before any other code in this process runs; the async surface is the
 * contract shared with PostgreSQL. The queries that must read every job of a range (a text
 * search, the analytics) run on the reader thread when there is one, and progress is written on
 * the writer thread.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly jobs: JobStore;
  readonly keys: KeyStore;
  readonly analytics: AnalyticsStore;
  readonly notifications: NotificationStore;
  private readonly journal: FileJournal;
  private readonly commits: GroupedCommits;

  constructor(
    private readonly db: SqliteDb,
    private readonly threads?: SqliteThreads,
  ) {
    const reader = threads?.reader;
    const writer = threads?.writer;
    const { connection } = db;
    const journalPath = connection.memory || connection.name.startsWith('file:') ? null : connection.name;
    const journal = (this.journal = new FileJournal(journalPath));
    const commits = (this.commits = new GroupedCommits(db));
    const scan: Scan = reader ? (sql, params) => reader.all(sql, params) : async (sql, params) => db.all(sql, ...params);
    this.keys = sqliteKeyStore(db);
    this.analytics = sqliteAnalyticsStore(db, scan);
    this.notifications = sqliteNotificationStore(db);
    this.jobs = {
      insert: async (jobs, now, keys) => insertJobs(db, jobs, now, keys),
      findIdempotencyKeys: async (scopedKeys) => findIdempotencyKeys(db, scopedKeys),
      get: async (id) => getJob(db, id),
      getMany: async (ids) => getJobs(db, ids),
      list: async (query) => {
        if (!query.text) return listJobs(db, query);
        const { sql, params } = listStatement(query, await indexedPhraseFor(scan, query.text.toLowerCase()));
        return pageOf(query, await scan<Row>(sql, params));
      },
      commit: (change, now) => commits.commit(change, now),
      saveProgress: async (patches) => {
        const startedAt = performance.now();
        const writes = progressWrites(patches);
        if (writer) {
          const written = writer.write(writes);
          const planningMs = performance.now() - startedAt; // on the event loop: it counts too
          const { unchanged, busyMs } = await written;
          return { stale: staleIds(writes, unchanged), busyMs: planningMs + busyMs };
        }
        const unchanged = runProgressWrites(db, writes);
        return { stale: staleIds(writes, unchanged), busyMs: performance.now() - startedAt };
      },
      // One process per node here: the files are this process's, whatever node id it runs.
      journalProgress: async (_nodeId, entries) => journal.append(entries),
      dropJournal: async (_nodeId, throughId) => journal.drop(throughId),
      leftJournal: async () => {
        if (!journalPath) return { rows: [], clear: async () => undefined };
        const { rows, files } = leftJournal(journalPath);
        return { rows, clear: async () => deleteFiles(files) };
      },
      abandonedJournal: async (_nodeId, olderThanMs) => {
        if (!journalPath) return { rows: [], clear: async () => undefined };
        const { rows, files } = abandonedJournal(journalPath, olderThanMs);
        return { rows, clear: async () => deleteFiles(files) };
      },
      events: async (jobId, afterSeq, limit) => jobEvents(db, jobId, afterSeq, limit),
      eventsSince: async (afterCursor, limit, owner) => eventsSince(db, afterCursor, limit, owner),
      latestCursor: async () => latestCursor(db),
      claim: async (request) => claimJobs(db, request, 1)[0] ?? null,
      claimMany: async (request, limit) => claimJobs(db, request, limit),
      renewLeases: async (nodeId, ids, leaseExpiresAt) => renewLeases(db, nodeId, ids, leaseExpiresAt),
      requeue: async (request) => requeueJobs(db, request),
      runningFacts: async (after, limit) => runningFacts(db, after, limit),
      childSummary: async (parentId) => childSummary(db, parentId),
      recentDurations: async (type, limit) => recentDurations(db, type, limit),
      purgeFinished: async (before, limit) => purgeFinished(db, before, limit),
      indexFinishedTexts: async (limit) => indexFinishedTexts(db, limit),
      tidyTextIndex: async () => tidyFinishedTextIndex(db),
    };
  }

  async migrate(): Promise<void> {
    assertSqliteSchemaNotNewer(this.db);
    migrateSqlite(this.db, Date.now());
  }

  async ping(): Promise<void> {
    this.db.get('SELECT 1');
  }

  async close(): Promise<void> {
    this.commits.writeAll(); // changes asked for in this turn, before the connection goes
    await Promise.all([this.threads?.checkpointer.stop(), this.threads?.reader.stop(), this.threads?.writer.stop()]);
    this.journal.close();
    this.db.close();
  }
}
