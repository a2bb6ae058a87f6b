import type { AnalyticsStore } from '../analytics-store.js';
import type { NotificationStore } from '../notification-store.js';
import type { JobStore, KeyStore, Store } from '../store.js';
import { postgresAnalyticsStore } from './analytics.js';
import { eventsSince, jobEvents, latestCursor } from './events.js';
import { PgGroupedCommits } from './grouped-commits.js';
import { claimJobs, renewLeases } from './jobs-claim.js';
import { getJob, getJobs } from './jobs-get.js';
import { findIdempotencyKeys, insertJobs } from './jobs-insert.js';
import { listJobs } from './jobs-list.js';
import { purgeFinished } from './jobs-purge.js';
import { requeueJobs } from './jobs-requeue.js';
import { runningFacts } from './jobs-running.js';
import { childSummary, recentDurations } from './jobs-summary.js';
import { postgresKeyStore } from './keys.js';
import { postgresNotificationStore } from './notifications/index.js';
import { assertPostgresSchemaNotNewer, migratePostgres } from './migrate.js';
import type { PgDb } from './pg-db.js';
import { saveProgress } from './progress.js';
import { abandonedJournal, dropJournal, journalProgress, leftJournal } from './progress-journal.js';

/**
 * The store for several nodes: every operation is one PostgreSQL transaction on a pooled
 * connection, so nodes share state through the database alone (claims with SKIP LOCKED, commits
 * as compare-and-set on seq, leases any node can reclaim).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly jobs: JobStore;
  readonly keys: KeyStore;
  readonly analytics: AnalyticsStore;
  readonly notifications: NotificationStore;
  private readonly commits: PgGroupedCommits;

  constructor(private readonly db: PgDb) {
    this.keys = postgresKeyStore(db);
    this.analytics = postgresAnalyticsStore(db);
    this.notifications = postgresNotificationStore(db);
    this.commits = new PgGroupedCommits(db);
    this.jobs = {
      insert: (jobs, now, keys) => insertJobs(db, jobs, now, keys),
      findIdempotencyKeys: (scopedKeys) => findIdempotencyKeys(db, scopedKeys),
      get: (id) => getJob(db, id),
      getMany: (ids) => getJobs(db, ids),
      list: (query) => listJobs(db, query),
      commit: (change, now) => this.commits.commit(change, now),
      saveProgress: async (patches) => {
        // Only building the query holds the event loop; the round trip delays nothing else.
        const startedAt = performance.now();
        const saving = saveProgress(db, patches);
        const busyMs = performance.now() - startedAt;
        return { stale: await saving, busyMs };
      },
      journalProgress: (nodeId, entries) => journalProgress(db, nodeId, entries),
      dropJournal: (nodeId, throughId) => dropJournal(db, nodeId, throughId),
      leftJournal: () => leftJournal(db),
      abandonedJournal: (nodeId, olderThanMs) => abandonedJournal(db, nodeId, olderThanMs),
      events: (jobId, afterSeq, limit) => jobEvents(db, jobId, afterSeq, limit),
      eventsSince: (afterCursor, limit, owner) => eventsSince(db, afterCursor, limit, owner),
      latestCursor: () => latestCursor(db),
      claim: async (request) => (await claimJobs(db, request, 1))[0] ?? null,
      claimMany: (request, limit) => claimJobs(db, request, limit),
      renewLeases: (nodeId, ids, leaseExpiresAt) => renewLeases(db, nodeId, ids, leaseExpiresAt),
      requeue: (request) => requeueJobs(db, request),
      runningFacts: (after, limit) => runningFacts(db, after, limit),
      childSummary: (parentId) => childSummary(db, parentId),
      recentDurations: (type, limit) => recentDurations(db, type, limit),
      purgeFinished: (before, limit) => purgeFinished(db, before, limit),
      // finished_job_texts is kept by triggers as jobs finish (a GIN insert is cheap), and VACUUM
      // takes back what deletions leave: nothing waits for these.
      indexFinishedTexts: async () => 0,
      tidyTextIndex: async () => false,
    };
  }

  async migrate(): Promise<void> {
    await assertPostgresSchemaNotNewer(this.db);
    await migratePostgres(this.db, Date.now());
  }

  async ping(): Promise<void> {
    await this.db.run('SELECT 1');
  }

  async close(): Promise<void> {
    await this.commits.settled(); // changes asked for before the close are written, as on SQLite
    return this.db.close();
  }
}
