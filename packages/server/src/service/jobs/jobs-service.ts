import {
  FINAL_STATUSES,
  HeadwayError,
  type BatchProgressBody,
  type CreateJobBody,
  type Job,
  type JobAction,
  type JobEvent,
  type JobStatus,
  type ListJobsQuery,
  type ProgressAnswer,
  type ProgressBody,
} from '@headway/protocol';
import type { Bus } from '../../bus/bus.js';
import { toJobView, type JobRecord } from '../../model/job-record.js';
import { applyProgress, assignProgress } from '../../model/progress.js';
import { planAction, type TransitionInput } from '../../model/transitions.js';
import { IdempotencyKeyTaken, type IdempotencyKeyRow, type Store } from '../../store/store.js';
import type { HeadwayStats } from '../../headway.js';
import { canSeeOwner, hasScope, type Actor } from '../actor.js';
import type { ActionInput, BatchProgressAnswer, JobService } from '../job-service.js';
import { applyToChildren } from './batch-control.js';
import { GroupedInserts } from './grouped-inserts.js';
import { checkIdempotencyKey, checkSameRequest, requestHashOf, scopedKeyOf } from './idempotency-key.js';
import type { JobCommitter } from './job-committer.js';
import { holdsUnwritten, refreshEstimates, type LiveJob, type LiveJobs } from './live-jobs.js';
import { changedFieldsOf, CHECKPOINT_FIELD } from './progress-fields.js';
import type { ProgressInterest } from './progress-interest.js';
import type { ProgressJournal } from './progress-journal.js';
import { buildJobTree } from './new-job.js';
import { waitForJobChange } from './wait-for-change.js';
import { WRITES_PER_YIELD, yieldToOtherWork } from '../yield-to-other-work.js';

export interface JobsServiceDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  committer: JobCommitter;
  stats: HeadwayStats;
  now: () => number;
  backoffMs: (attempt: number) => number;
  milestonePercents: (type: string) => number[];
  /** Where answered progress is made durable before the flusher writes it to its job. */
  journal: ProgressJournal;
  /** Loads the ETA prior of a job type (durations of its recent completed jobs) before jobs of it are cached. */
  loadPrior: (type: string) => Promise<unknown>;
  interest: ProgressInterest;
  /** Other nodes write the same store (a shared bus): what they were reported is not in this node's cache. */
  sharedStore: boolean;
}

/** Created jobs announced between two yields: 500 took about 5 ms here. */
const ANNOUNCED_PER_YIELD = 500;
const STATUS_SET = new Set<string>(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled']);

export class JobsService implements JobService {
  private readonly inserts: GroupedInserts;

  constructor(private readonly deps: JobsServiceDeps) {
    this.inserts = new GroupedInserts(deps.store.jobs);
  }

  async create(body: CreateJobBody, actor: Actor): Promise<Job> {
    requireScope(actor, 'jobs:write');
    return this.createTree(body, actor, null);
  }

  async createOnce(body: CreateJobBody, actor: Actor, idempotencyKey: string): Promise<{ job: Job; replayed: boolean }> {
    requireScope(actor, 'jobs:write');
    checkIdempotencyKey(idempotencyKey);
    const key = { scopedKey: scopedKeyOf(actor, idempotencyKey), requestHash: requestHashOf(body) };
    try {
      return { job: await this.createTree(body, actor, key), replayed: false };
    } catch (error) {
      // A resend (or a send racing the first one): the insert found its key taken.
      const [earlier] = error instanceof IdempotencyKeyTaken ? await this.deps.store.jobs.findIdempotencyKeys([key.scopedKey]) : [];
      if (!earlier) throw error;
      return { job: await this.replay(earlier, key.requestHash, actor), replayed: true };
    }
  }

  /** The job an earlier request with this key created, as it is now. */
  private async replay(earlier: IdempotencyKeyRow, requestHash: string, actor: Actor): Promise<Job> {
    checkSameRequest(earlier, requestHash);
    return toJobView(await this.visibleRecord(earlier.jobId, actor));
  }

  private async createTree(body: CreateJobBody, actor: Actor, key: Omit<IdempotencyKeyRow, 'jobId'> | null): Promise<Job> {
    const owner = actor.kind === 'user' ? actor.userId : (body.owner ?? null);
    if (actor.kind === 'user') {
      const foreign = [body, ...(body.children ?? [])].find((spec) => spec.owner !== undefined && spec.owner !== actor.userId);
      if (foreign) throw new HeadwayError('FORBIDDEN', `a user token can only create jobs it owns; drop "owner" or set it to "${actor.userId}"${foreign === body ? '' : ' in children'}`);
    }
    if (body.parentId !== undefined) await this.visibleRecord(body.parentId, actor);
    const now = this.deps.now();
    const records = buildJobTree(body, owner, now);
    await Promise.all([...new Set(records.map((r) => r.type))].map((type) => this.deps.loadPrior(type)));
    const { events: createdEvents, stored } = await this.inserts.insert(records, now, key ? [{ ...key, jobId: records[0]!.id }] : []);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (let i = 0; i < createdEvents.length; i++) {
      // A batch of 10,000 children is 10,000 announcements: let reports and live updates in between.
      if (i > 0 && i % ANNOUNCED_PER_YIELD === 0) await yieldToOtherWork();
      const event = createdEvents[i]!;
      const record = byId.get(event.jobId);
      if (!record) continue;
      // A child claimed meanwhile is cached in its newer state (subscribers drop the older event).
      if (!this.deps.live.get(record.id)) this.deps.live.put(record);
      this.deps.bus.publish({ type: 'event', event, job: toJobView(record) });
    }
    if (body.parentId !== undefined) this.deps.live.dirtyParents.add(body.parentId);
    return toJobView(byId.get(records[0]!.id) ?? records[0]!);
  }

  async get(id: string, actor: Actor): Promise<Job> {
    requireScope(actor, 'jobs:read');
    return toJobView(await this.visibleRecord(id, actor));
  }

  async list(query: ListJobsQuery, actor: Actor): Promise<{ items: Job[]; nextCursor: string | null }> {
    requireScope(actor, 'jobs:read');
    const statuses = query.status?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = statuses?.filter((s) => !STATUS_SET.has(s));
    if (unknown && unknown.length > 0) {
      throw new HeadwayError('VALIDATION_FAILED', `unknown status "${unknown.join(',')}"; use queued, running, paused, completed, failed or cancelled`);
    }
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new HeadwayError('VALIDATION_FAILED', `"from" (${query.from}) is after "to" (${query.to}); swap them, or drop one`);
    }
    // A user asking for someone else's jobs sees none of them, rather than its own under another name.
    if (actor.kind === 'user' && query.owner !== undefined && query.owner !== actor.userId) return { items: [], nextCursor: null };
    const page = await this.deps.store.jobs.list({
      statuses: statuses as JobStatus[] | undefined,
      type: query.type,
      owner: actor.kind === 'user' ? actor.userId : query.owner,
      tag: query.tag,
      parentId: query.parentId,
      text: query.q,
      createdFrom: query.from,
      createdTo: query.to,
      sort: query.sort,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    // The cache holds progress newer than the last flush.
    const now = this.deps.now();
    const items = page.items.map((r) => toJobView(this.cachedRecord(r.id, now) ?? r));
    return { items, nextCursor: page.nextCursor };
  }

  async report(id: string, body: ProgressBody, actor: Actor): Promise<ProgressAnswer> {
    requireScope(actor, 'jobs:write');
    const entry = this.reportCached(id, body, actor, this.deps.now());
    if (!entry) return this.reportDurably(id, body, actor);
    await this.deps.journal.durable();
    return { seq: entry.record.seq, control: entry.record.control };
  }

  /**
   * The hot path: a running job in the cache whose report changes only state (no step or
   * milestone) is applied synchronously, with no store access and no await. Answers the
   * updated cache entry, or null when the report needs the durable path.
   */
  private reportCached(id: string, body: ProgressBody, actor: Actor, now: number): LiveJob | null {
    const entry = this.deps.live.get(id);
    if (!entry) return null;
    const record = entry.record;
    if (record.status !== 'running' || !canSeeOwner(actor, record.owner)) return null;
    const plan = applyProgress(record, body, now, this.deps.milestonePercents(record.type));
    if (plan.events.length > 0) return null;
    assignProgress(record, plan.patch);
    const changed = changedFieldsOf(plan.patch);
    entry.unflushed |= changed;
    this.deps.journal.note(entry, changed);
    this.deps.stats.reportsAccepted++;
    this.observeEntry(entry, now);
    return entry;
  }

  private async reportDurably(id: string, body: ProgressBody, actor: Actor): Promise<ProgressAnswer> {
    let record = await this.deps.committer.load(id);
    if (!canSeeOwner(actor, record.owner)) throw new HeadwayError('JOB_NOT_FOUND', `job ${id} does not exist`);
    if (record.status === 'queued') {
      // A report refused (done above total, an unknown step) must not start the job either.
      applyProgress(record, body, this.deps.now(), this.deps.milestonePercents(record.type));
      record = (await this.deps.committer.change(id, (j) => (j.status === 'queued' ? planAction(j, 'start', this.input({})) : null))).record;
    }
    if (FINAL_STATUSES.includes(record.status)) {
      throw new HeadwayError('ILLEGAL_TRANSITION', `job ${id} is ${record.status}; progress can only be reported for queued, running or paused jobs`, { status: record.status });
    }
    const now = this.deps.now();
    const plan = applyProgress(record, body, now, this.deps.milestonePercents(record.type));
    this.deps.stats.reportsAccepted++;
    if (plan.events.length > 0) {
      const { record: saved } = await this.deps.committer.change(id, (current) => applyProgress(current, body, now, this.deps.milestonePercents(record.type)));
      this.observe(saved, now);
      return { seq: saved.seq, control: saved.control };
    }
    const entry = this.deps.live.get(id);
    if (entry) {
      assignProgress(entry.record, plan.patch);
      const changed = changedFieldsOf(plan.patch);
      entry.unflushed |= changed;
      this.deps.journal.note(entry, changed);
      this.observe(entry.record, now);
      await this.deps.journal.durable();
    }
    return { seq: record.seq, control: record.control };
  }

  async reportMany(items: BatchProgressBody, actor: Actor): Promise<BatchProgressAnswer> {
    requireScope(actor, 'jobs:write');
    const answers: BatchProgressAnswer = new Array(items.length);
    // One clock reading per batch: its reports arrived together.
    const now = this.deps.now();
    const first = this.reportManyCached(items, actor, now, answers);
    for (let i = first; i < items.length; i++) {
      const { jobId } = items[i]!;
      // Reports that start queued jobs each write to the store: thousands in one request held the event loop 1.5 s.
      if (i > first && (i - first) % WRITES_PER_YIELD === 0) await yieldToOtherWork();
      try {
        const entry = this.reportCached(jobId, items[i]!, actor, now);
        answers[i] = entry ? { jobId, seq: entry.record.seq, control: entry.record.control } : { jobId, ...(await this.reportDurably(jobId, items[i]!, actor)) };
      } catch (error) {
        if (!(error instanceof HeadwayError)) throw error;
        answers[i] = { jobId, error: { code: error.code, message: error.message } };
      }
    }
    // Answered once the journal holds what the cache took (one row for every report of this turn).
    await this.deps.journal.durable();
    return answers;
  }

  /**
   * Applies the leading run of items the cache can take, synchronously (a plain loop optimizes
   * far better than one inside an async function), and answers the index of the first item
   * that needs the store: that one and all after it go in order through the awaited path.
   * An item is a report plus its jobId, which applyProgress ignores: no per-item copy without it.
   */
  private reportManyCached(items: BatchProgressBody, actor: Actor, now: number, answers: BatchProgressAnswer): number {
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      let entry: LiveJob | null;
      try {
        entry = this.reportCached(item.jobId, item, actor, now);
      } catch (error) {
        if (!(error instanceof HeadwayError)) throw error;
        answers[i] = { jobId: item.jobId, error: { code: error.code, message: error.message } };
        continue;
      }
      if (!entry) return i;
      answers[i] = { jobId: item.jobId, seq: entry.record.seq, control: entry.record.control };
    }
    return items.length;
  }

  async act(id: string, action: JobAction, input: ActionInput, actor: Actor): Promise<Job> {
    requireScope(actor, 'jobs:write');
    await this.visibleRecord(id, actor);
    const { record } = await this.deps.committer.change(id, (current) => planAction(current, action, this.input(input, actor)));
    // A lease holder acknowledges for its own job only: the children have handlers of their own.
    const { leaseHolder: _own, ...forChildren } = input;
    await applyToChildren(
      this.deps.store,
      id,
      action,
      (child) => canSeeOwner(actor, child.owner),
      (childId) => this.deps.committer.change(childId, (child) => planAction(child, action, this.input(forChildren, actor))),
    );
    return toJobView(record);
  }

  async events(id: string, afterSeq: number, limit: number, actor: Actor): Promise<JobEvent[]> {
    requireScope(actor, 'jobs:read');
    await this.visibleRecord(id, actor);
    return this.deps.store.jobs.events(id, afterSeq, limit);
  }

  async waitForChange(id: string, afterSeq: number, timeoutMs: number, actor: Actor, signal?: AbortSignal): Promise<Job> {
    const record = await this.visibleRecord(id, actor);
    // A seq ahead of the job's (a restored database, another job's seq) cannot be waited for: the
    // client gets the state to resync with at once, rather than the same answer at the timeout.
    if (record.seq !== afterSeq || FINAL_STATUSES.includes(record.status)) return toJobView(record);
    const unfollow = this.deps.interest.follow(id);
    try {
      await waitForJobChange(this.deps.bus, id, timeoutMs, signal);
    } finally {
      unfollow();
    }
    return toJobView(await this.visibleRecord(id, actor));
  }

  /** Saves a runtime handler's checkpoint with the next flush (in-process callers only). */
  saveCheckpoint(id: string, state: unknown): void {
    const entry = this.deps.live.get(id);
    if (!entry) return;
    entry.record.checkpoint = state;
    entry.unflushed |= CHECKPOINT_FIELD; // written even when the handler saves the same object again after changing it
    this.deps.live.markDirty(entry); // persisted, not announced: a checkpoint is the handler's own state
  }

  /** The newest state of a job the actor may see; someone else's job is "not found". */
  private async visibleRecord(id: string, actor: Actor): Promise<JobRecord> {
    const record = this.cachedRecord(id, this.deps.now()) ?? (await this.deps.store.jobs.get(id));
    if (!record || !canSeeOwner(actor, record.owner)) throw new HeadwayError('JOB_NOT_FOUND', `job ${id} does not exist`);
    return record;
  }

  /** A cached job with a current ETA and rate (they are refreshed when announced, and a job nobody follows is not). */
  private cachedRecord(id: string, now: number): JobRecord | undefined {
    const entry = this.deps.live.get(id);
    if (!entry) return undefined;
    // A job created or acted on here but reported through another node changes only in the store
    // (its ticks are no events): read through this node it stood still for the whole run. The
    // cache is newer than the store only while it holds something unwritten.
    if (this.deps.sharedStore && !holdsUnwritten(entry)) return undefined;
    refreshEstimates(entry, now);
    return entry.record;
  }

  private observe(record: JobRecord, now: number): void {
    const entry = this.deps.live.get(record.id);
    if (entry) this.observeEntry(entry, now);
  }

  /** Feeds the ETA and rate of a cached job and marks it to announce and persist. */
  private observeEntry(entry: LiveJob, now: number): void {
    const record = entry.record;
    entry.eta.observe(now, record.percent / 100);
    entry.rate.observe(now, record.done);
    this.deps.live.touchEntry(entry);
    if (record.parentId) this.deps.live.dirtyParents.add(record.parentId);
  }

  private input(input: ActionInput, actor?: Actor): TransitionInput {
    return {
      now: this.deps.now(),
      error: input.error,
      result: input.result,
      checkpoint: input.checkpoint,
      retry: input.retry,
      by: actor ? actorName(actor) : undefined,
      leaseHolder: input.leaseHolder,
      backoffMs: this.deps.backoffMs,
    };
  }
}

function requireScope(actor: Actor, scope: 'jobs:read' | 'jobs:write'): void {
  if (!hasScope(actor, scope)) throw new HeadwayError('FORBIDDEN', `this key lacks the "${scope}" scope`);
}

function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.userId}`;
    case 'key':
      return `key:${actor.keyId}`;
    default:
      return actor.kind;
  }
}
