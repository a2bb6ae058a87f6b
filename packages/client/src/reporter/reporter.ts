import { FINAL_STATUSES, HeadwayError, type ControlIntent, type Job, type ProgressAnswer, type ProgressBody } from '@headway/protocol';
import { isTransientError, JobCancelledError } from '../errors.js';
import type { JobsApi } from '../http/jobs-api.js';
import { failureOf } from './failure.js';
import type { OutboxListener, ProgressOutbox } from './progress-outbox.js';
import { isUrgent } from './report-queue.js';
import { retryTransient } from './retry.js';

export interface ReporterOptions {
  /** At most one plain progress report per this many ms (default 250). */
  throttleMs?: number;
  /** Failures of background sends, and of complete() and fail() attempts it retries (the reporter keeps going and retries transient ones). */
  onError?: (error: Error) => void;
  /** The job's total when it was set at creation (`job.total`), so the final value goes at once. */
  total?: number | null;
  /** How long complete() and fail() keep retrying while the server cannot answer (default 300,000 ms). */
  transitionRetryMs?: number;
}

/** What a report is refused with once its job is finished or gone. */
const JOB_ENDED_CODES: ReadonlySet<string> = new Set(['ILLEGAL_TRANSITION', 'JOB_NOT_FOUND', 'NOT_FOUND']);

/**
 * A remote worker's handle on one job: reports progress through the client's outbox, keeps
 * the control intent the server answers with, and makes pause and cancel take effect at
 * `checkpoint()`.
 */
export class Reporter {
  readonly jobId: string;
  /** The newest control intent the server answered with. */
  control: ControlIntent = 'run';
  lastSeq: number | null = null;
  lastError: Error | null = null;
  private knownTotal: number | undefined;
  /** A report was refused because the job is finished or gone: the next checkpoint() reads which, and stops the worker. */
  private jobMayHaveEnded = false;
  private readonly throttleMs: number;
  private readonly transitionRetryMs: number;
  private readonly controlListeners = new Set<(control: ControlIntent) => void>();
  private readonly outboxListener: OutboxListener = {
    onAnswer: (answer) => this.answered(answer),
    onError: (error) => this.reportFailed(error),
  };

  constructor(private readonly api: JobsApi, private readonly outbox: ProgressOutbox, jobId: string, private readonly options: ReporterOptions = {}) {
    this.jobId = jobId;
    this.throttleMs = options.throttleMs ?? 250;
    this.transitionRetryMs = options.transitionRetryMs ?? 300_000;
    this.knownTotal = options.total ?? undefined;
  }

  progress(done: number, total?: number): void {
    if (total !== undefined) this.knownTotal = total;
    this.update(total === undefined ? { done } : { done, total });
  }

  step(name: string): void {
    this.update({ step: name });
  }

  message(text: string): void {
    this.update({ message: text });
  }

  metrics(values: Record<string, number>): void {
    this.update({ metrics: values });
  }

  /** Any progress fields at once; step changes and the final value are sent without waiting. */
  update(body: ProgressBody): void {
    if (body.total !== undefined) this.knownTotal = body.total;
    const urgent = isUrgent({ ...body, total: body.total ?? this.knownTotal });
    this.outbox.queue(this.jobId, body, urgent, this.throttleMs, this.outboxListener);
  }

  /** Sends what is waiting now. */
  flush(): Promise<void> {
    return this.outbox.flush(this.jobId);
  }

  onControl(listener: (control: ControlIntent) => void): () => void {
    this.controlListeners.add(listener);
    return () => this.controlListeners.delete(listener);
  }

  /**
   * Where pause and cancel take effect. Resolves at once while the control is `run`. On
   * `pause` it acknowledges (the job becomes paused), waits until resumed, however long the
   * server is unreachable meanwhile, and starts the job again; on `cancel` it acknowledges and
   * throws JobCancelledError. Once reports were refused because the job is finished or gone, it
   * throws JobCancelledError (cancelled) or the HeadwayError saying so. `signal` ends the wait.
   */
  async checkpoint(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.control === 'run' && !this.jobMayHaveEnded) return;
    try {
      await this.followControl(options.signal);
    } catch (error) {
      if (error instanceof JobCancelledError || (error instanceof HeadwayError && JOB_ENDED_CODES.has(error.code))) this.outbox.release(this.jobId, this.outboxListener);
      throw error;
    }
  }

  /** Flushes, then completes the job; retried like a failure (see transition). */
  complete(result?: unknown): Promise<Job> {
    return this.transition(() => this.api.complete(this.jobId, result), (job) => job.status === 'completed');
  }

  /** Fails the job with whatever the worker caught: any value is turned into a failure the server accepts (see failureOf). */
  fail(error: unknown, options: { retry?: boolean } = {}): Promise<Job> {
    const failure = failureOf(error);
    return this.transition(
      () => this.api.fail(this.jobId, failure, options),
      (job) => (job.status === 'failed' || job.status === 'queued' || job.status === 'paused') && job.error?.message === failure.message,
    );
  }

  private async followControl(signal: AbortSignal | undefined): Promise<void> {
    await this.flush().catch((error: unknown) => void (this.lastError = error as Error));
    let job = await retryTransient(() => this.api.getJob(this.jobId, signal), { signal });
    this.jobMayHaveEnded = false;
    for (;;) {
      this.lastSeq = job.seq;
      this.knownTotal ??= job.total ?? undefined;
      if (job.status === 'cancelled') {
        this.setControl('cancel');
        throw new JobCancelledError(this.jobId);
      }
      if (FINAL_STATUSES.includes(job.status)) {
        throw new HeadwayError('ILLEGAL_TRANSITION', `job ${this.jobId} is ${job.status}; the worker should stop`, { status: job.status });
      }
      if (job.control === 'cancel') job = await this.acknowledge('cancel', signal);
      else if (job.status === 'queued') job = await this.acknowledge('start', signal);
      else if (job.status === 'running' && job.control === 'pause') job = await this.acknowledge('pause', signal);
      else if (job.status === 'running') return this.setControl(job.control);
      else {
        this.setControl('pause');
        const seq = job.seq;
        job = await retryTransient(() => this.api.waitForChange(this.jobId, seq, { signal }), { signal });
      }
    }
  }

  /**
   * Sends the waiting reports, then the transition, and retries both while the server cannot
   * answer, for up to transitionRetryMs: a restart must not lose the job's end. A retry refused
   * with 409 may mean an earlier attempt landed and only its answer was lost: the job, read back,
   * says whether it did.
   */
  private async transition(send: () => Promise<Job>, landed: (job: Job) => boolean): Promise<Job> {
    let unanswered = false;
    const job = await retryTransient(
      async () => {
        // Refused reports were told through onError; only an unreachable server holds the transition back.
        await this.flush().catch((error: unknown) => {
          if (isTransientError(error)) throw error;
        });
        try {
          return await send();
        } catch (error) {
          if (isTransientError(error)) {
            unanswered = true;
            // Retried for minutes: a wrong URL or a server that is down must not go unsaid meanwhile.
            this.options.onError?.(error as Error);
          } else if (unanswered && error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION') {
            const current = await this.api.getJob(this.jobId);
            if (landed(current)) return current;
          }
          throw error;
        }
      },
      { until: Date.now() + this.transitionRetryMs },
    );
    this.outbox.release(this.jobId, this.outboxListener);
    return job;
  }

  /** Acts on the job; if the state moved under us (409), re-reads it and lets the loop decide. */
  private async acknowledge(action: 'start' | 'pause' | 'cancel', signal: AbortSignal | undefined): Promise<Job> {
    try {
      return await retryTransient(() => this.api.act(this.jobId, action, {}, signal), { signal });
    } catch (error) {
      if (error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION') return retryTransient(() => this.api.getJob(this.jobId, signal), { signal });
      throw error;
    }
  }

  private answered(answer: ProgressAnswer): void {
    this.lastSeq = answer.seq;
    this.lastError = null;
    this.setControl(answer.control);
  }

  private reportFailed(error: Error): void {
    this.lastError = error;
    if (error instanceof HeadwayError && JOB_ENDED_CODES.has(error.code)) this.jobMayHaveEnded = true;
    this.options.onError?.(error);
  }

  private setControl(control: ControlIntent): void {
    if (control === this.control) return;
    this.control = control;
    for (const listener of [...this.controlListeners]) listener(control);
  }
}
