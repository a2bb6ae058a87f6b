import { FINAL_STATUSES, HeadwayError, type ControlIntent, type Job, type ProgressAnswer, type ProgressBody } from '@headway/protocol';
import { isTransientError, JobCancelledError } from '../errors.js';
import type { JobsApi } from '../http/jobs-api.js';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../live/backoff.js';
import type { ProgressOutbox } from './progress-outbox.js';
import { isUrgent } from './report-queue.js';

export interface ReporterOptions {
  /** At most one plain progress report per this many ms (default 250). */
  throttleMs?: number;
  /** Failures of background sends (the reporter keeps going and retries transient ones). */
  onError?: (error: Error) => void;
}

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
  private readonly throttleMs: number;
  private readonly controlListeners = new Set<(control: ControlIntent) => void>();

  constructor(private readonly api: JobsApi, private readonly outbox: ProgressOutbox, jobId: string, private readonly options: ReporterOptions = {}) {
    this.jobId = jobId;
    this.throttleMs = options.throttleMs ?? 250;
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
    this.outbox.queue(this.jobId, body, urgent, this.throttleMs, {
      onAnswer: (answer) => this.answered(answer),
      onError: (error) => {
        this.lastError = error;
        this.options.onError?.(error);
      },
    });
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
   * `pause` it acknowledges (the job becomes paused), waits until resumed and starts the job
   * again; on `cancel` it acknowledges and throws JobCancelledError.
   */
  async checkpoint(): Promise<void> {
    if (this.control === 'run') return;
    await this.flush().catch((error: unknown) => void (this.lastError = error as Error));
    let job = await this.retrying(() => this.api.getJob(this.jobId));
    for (;;) {
      this.lastSeq = job.seq;
      if (job.status === 'cancelled') {
        this.setControl('cancel');
        throw new JobCancelledError(this.jobId);
      }
      if (FINAL_STATUSES.includes(job.status)) {
        throw new HeadwayError('ILLEGAL_TRANSITION', `job ${this.jobId} is ${job.status}; the worker should stop`, { status: job.status });
      }
      if (job.control === 'cancel') job = await this.acknowledge('cancel');
      else if (job.status === 'queued') job = await this.acknowledge('start');
      else if (job.status === 'running' && job.control === 'pause') job = await this.acknowledge('pause');
      else if (job.status === 'running') return this.setControl(job.control);
      else {
        this.setControl('pause');
        const seq = job.seq;
        job = await this.retrying(() => this.api.waitForChange(this.jobId, seq));
      }
    }
  }

  async complete(result?: unknown): Promise<Job> {
    await this.flush();
    return this.api.complete(this.jobId, result);
  }

  async fail(error: Error | { message: string; code?: string }, options: { retry?: boolean } = {}): Promise<Job> {
    await this.flush().catch((flushError: unknown) => void (this.lastError = flushError as Error));
    const code = (error as { code?: unknown }).code;
    return this.api.fail(this.jobId, { message: error.message, ...(typeof code === 'string' ? { code } : {}) }, options);
  }

  /** Acts on the job; if the state moved under us (409), re-reads it and lets the loop decide. */
  private async acknowledge(action: 'start' | 'pause' | 'cancel'): Promise<Job> {
    try {
      return await this.retrying(() => this.api.act(this.jobId, action));
    } catch (error) {
      if (error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION') return this.retrying(() => this.api.getJob(this.jobId));
      throw error;
    }
  }

  private answered(answer: ProgressAnswer): void {
    this.lastSeq = answer.seq;
    this.lastError = null;
    this.setControl(answer.control);
  }

  private setControl(control: ControlIntent): void {
    if (control === this.control) return;
    this.control = control;
    for (const listener of [...this.controlListeners]) listener(control);
  }

  /** A paused worker may wait for hours: network blips while it waits are retried, not fatal. */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isTransientError(error) || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, DEFAULT_BACKOFF)));
      }
    }
  }
}
