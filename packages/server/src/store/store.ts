import { HeadwayError, type JobEvent, type JobEventData, type JobStatus } from '@headway/protocol';
import type { JobRecord } from '../model/job-record.js';
import type { AnalyticsStore } from './analytics-store.js';
import type { NotificationStore } from './notification-store.js';

/**
 * The narrow domain interface every store (SQLite, PostgreSQL) implements, and that one
 * conformance suite (test/store/conformance.ts) checks. Each method is one transaction.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly jobs: JobStore;
  readonly keys: KeyStore;
  /** Aggregates for history and analytics views (analytics-store.ts). */
  readonly analytics: AnalyticsStore;
  /** Preferences, watches, templates, the notification outbox and digests (notification-store.ts). */
  readonly notifications: NotificationStore;
  /** Applies pending migrations; refuses to run against a schema newer than the code. */
  migrate(): Promise<void>;
  /** Cheap round-trip used by /v1/health readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface JobQuery {
  statuses?: JobStatus[];
  type?: string;
  owner?: string;
  tag?: string;
  /** `null` means top-level jobs only. */
  parentId?: string | null;
  /** Case-insensitive substring of title, message or error message. */
  text?: string;
  createdFrom?: number;
  createdTo?: number;
  sort?: 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';
  limit: number;
  /** Opaque cursor returned as nextCursor by the previous page. */
  cursor?: string;
}

/** What the alert checks read of a running job: a few scalars, none of the JSON fields (steps, metadata, checkpoint, ...). */
export type RunningJobFacts = Pick<JobRecord, 'id' | 'type' | 'title' | 'owner' | 'attempt' | 'percent' | 'message' | 'createdAt' | 'startedAt' | 'pausedMs' | 'updatedAt'>;

export interface JobPage {
  items: JobRecord[];
  nextCursor: string | null;
}

/** Fields a change may set; the store bumps `seq` by the number of events itself. */
export type JobPatch = Partial<Omit<JobRecord, 'id' | 'seq' | 'type' | 'createdAt' | 'parentId'>>;

export interface JobChange {
  id: string;
  /** Optimistic check: the change applies only if the stored seq still equals this. */
  expectedSeq: number;
  patch: JobPatch;
  events: JobEventData[];
}

/** Result of a change: the stored events (with seq, at, cursor) or a lost race. */
export type CommitResult = { ok: true; events: JobEvent[] } | { ok: false; currentSeq: number | null };

/** Progress fields (and the handler's latest checkpoint) written by the coalescing flusher; never touches status or seq. */
export type ProgressPatch = Pick<JobRecord, 'id'> & {
  /**
   * The job's seq the patch was taken at. When given, the patch is written only while the stored
   * seq is still that: a durable change committed meanwhile (on another connection) wins, and the
   * caller learns it must write again from the newer state.
   */
  seq?: number;
} & Partial<
    Pick<
      JobRecord,
      'percent' | 'done' | 'total' | 'unit' | 'currentStep' | 'message' | 'eta' | 'metrics' | 'counts' | 'steps' | 'checkpoint' | 'updatedAt' | 'activeAt'
    >
  >;

export interface ClaimRequest {
  type: string;
  nodeId: string;
  leaseExpiresAt: number;
  now: number;
}

export interface ClaimedJob {
  job: JobRecord;
  events: JobEvent[];
}

export interface RequeueRequest {
  /** Requeue running jobs leased by this node (start-up recovery). */
  nodeId?: string;
  /** Requeue running jobs whose lease expired before this time (any node). */
  leaseExpiredBefore?: number;
  now: number;
}

/** Progress answered to a worker before the flusher wrote it to its job (see ProgressJournal). */
export interface JournalRow {
  id: number;
  patches: ProgressPatch[];
}

/** A job's progress to journal: the fields of `fields` (a progress shape mask, see progressShapeOf) as `record` holds them. */
export interface JournalEntry {
  record: JobRecord;
  fields: number;
}

export interface LeftJournal {
  rows: JournalRow[];
  clear(): Promise<void>;
}

/** A caller's Idempotency-Key for a new job tree, written with the tree (migration 0015). */
export interface IdempotencyKeyRow {
  /** The caller's identity and its key: equal keys of two callers are two keys. */
  scopedKey: string;
  /** The root of the tree the request created. */
  jobId: string;
  /** A hash of the request: the key sent again with another request is refused, not answered with this job. */
  requestHash: string;
}

/** An insert's key was written by another request first (a concurrent resend): read it and answer that job. */
export class IdempotencyKeyTaken extends HeadwayError {
  constructor(readonly scopedKey: string) {
    super('CONFLICT', 'another request with this Idempotency-Key created its job first');
  }
}

export interface SavedProgress {
  /** The ids of patches not written because their `seq` no longer holds (or the job is gone). */
  stale: string[];
  /**
   * How long the write kept a thread of this process busy (the event loop, or SQLite's writer
   * thread; not a wait on the network): the flusher paces itself on it.
   */
  busyMs: number;
}

export interface JobStore {
  /** Inserts job trees (parents before children) with their `created` events and the keys they were created under, all or nothing. */
  insert(jobs: JobRecord[], now: number, keys?: readonly IdempotencyKeyRow[]): Promise<JobEvent[]>;
  /** The keys among these that created a job still kept, with that job (one read for a group of creates). */
  findIdempotencyKeys(scopedKeys: string[]): Promise<IdempotencyKeyRow[]>;
  get(id: string): Promise<JobRecord | null>;
  getMany(ids: string[]): Promise<JobRecord[]>;
  list(query: JobQuery): Promise<JobPage>;
  /** Applies one change with its events atomically, if `expectedSeq` still holds. A change may carry no events (seq unchanged). */
  commit(change: JobChange, now: number): Promise<CommitResult>;
  /** Writes many coalesced progress patches in one transaction (see SavedProgress). */
  saveProgress(patches: ProgressPatch[]): Promise<SavedProgress>;
  /** Appends acknowledged progress (one row per call, ids never reused), read from the records before it yields; answers the row's id. */
  journalProgress(nodeId: string, entries: readonly JournalEntry[]): Promise<number>;
  /** Deletes this node's journal rows up to `throughId`: what they hold is in the jobs now. */
  dropJournal(nodeId: string, throughId: number): Promise<void>;
  /** The journal no flush covered before its node stopped (what live nodes keep is theirs), oldest first; `clear` deletes what was read. */
  leftJournal(): Promise<LeftJournal>;
  /**
   * Journal rows other nodes wrote more than `olderThanMs` ago (by the database's clock) and never
   * dropped: a live node drops its rows at every flush, so these are a dead node's. Oldest first.
   * On the embedded store, the files of other processes on the same file that are gone and wrote
   * nothing for that long.
   */
  abandonedJournal(nodeId: string, olderThanMs: number): Promise<LeftJournal>;
  /** Events of one job with seq > afterSeq, oldest first. */
  events(jobId: string, afterSeq: number, limit: number): Promise<JobEvent[]>;
  /** Events of all jobs (optionally of one owner) with cursor > afterCursor, oldest first. */
  eventsSince(afterCursor: number, limit: number, owner?: string): Promise<JobEvent[]>;
  /** Newest event cursor, the resume point for a fresh multi-job subscription. */
  latestCursor(): Promise<number>;
  /** Claims the oldest claimable queued job of a type (runAfter <= now): queued → running with a lease. Never hands one job to two callers. */
  claim(request: ClaimRequest): Promise<ClaimedJob | null>;
  /** `claim` for up to `limit` jobs in one round trip, oldest first: how a node fills its free slots. */
  claimMany(request: ClaimRequest, limit: number): Promise<ClaimedJob[]>;
  /** Extends leases this node still holds; returns the ids it still holds. */
  renewLeases(nodeId: string, ids: string[], leaseExpiresAt: number): Promise<string[]>;
  /**
   * Takes running leased jobs from their lost worker (recovery / reclaim), with their transition events: back to
   * queued, or to paused / cancelled when that was pending (model/requeue.ts).
   */
  requeue(request: RequeueRequest): Promise<ClaimedJob[]>;
  /**
   * Up to `limit` running jobs created after `after` (the last of the previous page; null: from the
   * first), oldest first, through the status index; only the fields the alert checks read.
   */
  runningFacts(after: Pick<RunningJobFacts, 'createdAt' | 'id'> | null, limit: number): Promise<RunningJobFacts[]>;
  /** Status counts and weighted percent of a parent's children. */
  childSummary(parentId: string): Promise<ChildSummary>;
  /** Work durations (ms) of recently completed jobs of a type, newest first: the ETA prior. */
  recentDurations(type: string, limit: number): Promise<number[]>;
  /**
   * Deletes up to `limit` top-level jobs that finished before `before`, the oldest first, each with
   * its whole tree and events; returns how many jobs it deleted (0: none is left).
   */
  purgeFinished(before: number, limit: number): Promise<number>;
  /**
   * Adds up to `limit` jobs finished since the last call to the text-search index; answers how
   * many (fewer than `limit`: none is left waiting). A store that indexes jobs as they finish answers 0.
   */
  indexFinishedTexts(limit: number): Promise<number>;
  /**
   * One bounded step of tidying the text-search index after purges (a few ms at most); answers
   * whether more remains. A store whose index tidies itself answers false at once.
   */
  tidyTextIndex(): Promise<boolean>;
}

export interface ChildSummary {
  counts: { total: number; pending: number; running: number; paused: number; completed: number; failed: number; cancelled: number };
  /** Σ weight × percent / Σ weight over children, 0–100. */
  weightedPercent: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 hex of the secret; the secret itself is never stored. */
  hash: string;
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
}

export interface KeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, now: number): Promise<boolean>;
  /** Small named settings (admin key hash, token secret). */
  getSetting(name: string): Promise<string | null>;
  /** Sets a setting only if absent; returns the value now stored. */
  initSetting(name: string, value: string): Promise<string>;
  /**
   * Sets a setting only if its stored value is still `expected` (null: only if absent); answers
   * whether it did. Of nodes racing from the same value, exactly one wins.
   */
  compareAndSetSetting(name: string, expected: string | null, value: string): Promise<boolean>;
}
