import { HeadwayError, type Job } from '@headway/protocol';
import type { Logger } from 'pino';
import type { Bus, BusMessage } from '../bus/bus.js';
import type { JobRecord } from '../model/job-record.js';
import { runningBeforeRequeue } from '../model/requeue.js';
import { SYSTEM } from '../service/actor.js';
import type { JobCommitter } from '../service/jobs/job-committer.js';
import type { JobsService } from '../service/jobs/jobs-service.js';
import type { Store } from '../store/store.js';
import type { HeldJob } from './held-job.js';
import { createJobContext } from './job-context.js';
import type { HandlerOptions, JobHandler, Runtime } from './runtime.js';
import { JobCancelledSignal, JobPausedSignal } from './signals.js';

/** Most jobs claimed in one store round trip: large enough for fast recovery, small enough to keep one transaction short. */
const CLAIM_BATCH = 500;

interface Pool {
  type: string;
  handler: JobHandler;
  concurrency: number;
  running: Set<string>;
}

export interface RuntimeDeps {
  store: Store;
  bus: Bus;
  jobs: JobsService;
  committer: JobCommitter;
  logger: Logger;
  nodeId: string;
  leaseMs: number;
  now: () => number;
  /** How often idle pools look for claimable jobs (retry backoff ends, other nodes' jobs). */
  pollIntervalMs?: number;
}

/**
 * Runs registered handlers: claims queued jobs with a lease up to each type's concurrency,
 * renews leases, honours control intents, reclaims expired leases and recovers this node's
 * jobs at start.
 */
export class WorkerRuntime implements Runtime {
  private readonly pools = new Map<string, Pool>();
  private readonly held = new Map<string, HeldJob>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private claiming = false;
  private claimAgain = false;
  private stopped = true;

  constructor(private readonly deps: RuntimeDeps) {}

  register<T>(type: string, handler: JobHandler<T>, options: HandlerOptions = {}): void {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new HeadwayError('VALIDATION_FAILED', `concurrency for "${type}" must be a positive integer`);
    this.pools.set(type, { type, handler: handler as JobHandler, concurrency, running: new Set() });
    this.wake();
  }

  running(): Record<string, number> {
    return Object.fromEntries([...this.pools.values()].map((p) => [p.type, p.running.size]));
  }

  /** Re-queues this node's interrupted jobs at once, then starts claiming. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.deps.bus.subscribe((m) => this.onMessage(m));
    await this.requeue({ nodeId: this.deps.nodeId, now: this.deps.now() });
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task().catch((err: unknown) => this.deps.logger.error({ err }, 'runtime:loop failed')), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(250, this.deps.leaseMs / 3), () => this.renewLeases());
    every(Math.max(500, this.deps.leaseMs / 2), () => this.requeue({ leaseExpiredBefore: this.deps.now(), now: this.deps.now() }));
    every(this.deps.pollIntervalMs ?? 500, async () => this.wake());
    this.wake();
  }

  /** Stops claiming and aborts running handlers; their jobs are re-queued by the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.unsubscribe?.();
    for (const held of this.held.values()) {
      held.leaseLost = true;
      held.abort.abort(new Error('node stopping'));
    }
  }

  /** Claims in the background; a request while a pass runs triggers one more pass. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    void this.claimAll()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'runtime:claim failed'))
      .finally(() => {
        this.claiming = false;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        }
      });
  }

  private async claimAll(): Promise<void> {
    for (const pool of this.pools.values()) {
      while (!this.stopped && pool.running.size < pool.concurrency) {
        const now = this.deps.now();
        const free = Math.min(pool.concurrency - pool.running.size, CLAIM_BATCH);
        const claimed = await this.deps.store.jobs.claimMany({ type: pool.type, nodeId: this.deps.nodeId, leaseExpiresAt: now + this.deps.leaseMs, now }, free);
        for (const { job, events } of claimed) {
          this.deps.committer.announce(job, events, { ...job, status: 'queued' });
          this.run(pool, job);
        }
        if (claimed.length < free) break;
      }
    }
  }

  private run(pool: Pool, job: JobRecord): void {
    const held: HeldJob = { job: { ...job }, leaseOwner: this.deps.nodeId, control: job.control, abort: new AbortController(), leaseLost: false, paused: false };
    pool.running.add(job.id);
    this.held.set(job.id, held);
    const ctx = createJobContext(held, this.deps.jobs, this.deps.logger);
    void Promise.resolve()
      .then(() => pool.handler(ctx))
      .then(
        (result) => this.finish(held, held.control === 'cancel' ? 'cancel' : 'complete', { result }),
        (error: unknown) => this.finishWithError(held, error),
      )
      .catch((err: unknown) => this.deps.logger.error({ err, jobId: job.id }, 'runtime:finish failed'))
      .finally(() => {
        pool.running.delete(job.id);
        this.held.delete(job.id);
        this.wake();
      });
  }

  private async finishWithError(held: HeldJob, error: unknown): Promise<void> {
    if (error instanceof JobPausedSignal || held.paused) return;
    if (error instanceof JobCancelledSignal || held.control === 'cancel') return this.finish(held, 'cancel', {});
    const message = error instanceof Error ? error.message : String(error);
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
    return this.finish(held, 'fail', { error: { message: message || 'handler failed', ...(code ? { code } : {}) } });
  }

  private async finish(held: HeldJob, action: 'complete' | 'cancel' | 'fail', input: { result?: unknown; error?: { message: string; code?: string } }): Promise<void> {
    if (held.leaseLost) return; // another node owns the job now
    try {
      await this.deps.jobs.act(held.job.id, action, { ...input, leaseHolder: held.leaseOwner }, SYSTEM);
    } catch (error) {
      if (error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION') {
        this.deps.logger.warn({ jobId: held.job.id, action, reason: error.message }, 'runtime:job changed under its handler');
        return;
      }
      throw error;
    }
  }

  private onMessage(message: BusMessage): void {
    if (message.type !== 'event') return;
    const held = this.held.get(message.event.jobId);
    if (held) this.observeControl(held, message.job);
    else if (message.job.status === 'queued' && this.pools.has(message.job.type)) this.wake();
  }

  private observeControl(held: HeldJob, job: Job): void {
    held.control = job.control;
    if (job.control === 'cancel' || job.status === 'cancelled') held.abort.abort(new JobCancelledSignal(job.id));
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.held.keys()];
    if (ids.length === 0) return;
    const kept = new Set(await this.deps.store.jobs.renewLeases(this.deps.nodeId, ids, this.deps.now() + this.deps.leaseMs));
    for (const id of ids) {
      const held = this.held.get(id);
      if (!held || kept.has(id) || held.paused) continue;
      held.leaseLost = true;
      held.abort.abort(new Error(`lease on job ${id} lost`));
      this.deps.logger.warn({ jobId: id }, 'runtime:lease lost; handler aborted');
    }
  }

  private async requeue(request: Parameters<Store['jobs']['requeue']>[0]): Promise<void> {
    const requeued = await this.deps.store.jobs.requeue(request);
    for (const { job, events } of requeued) this.deps.committer.announce(job, events, runningBeforeRequeue(job));
    if (requeued.length > 0) {
      // Jobs with a pause or cancel pending end paused or cancelled instead of queued.
      const byStatus: Record<string, number> = {};
      for (const { job } of requeued) byStatus[job.status] = (byStatus[job.status] ?? 0) + 1;
      this.deps.logger.info({ jobs: requeued.length, ...byStatus }, 'runtime:re-queued interrupted jobs');
      this.wake();
    }
  }
}
