import type { Job, ProgressBody } from '@headway/protocol';

/** What a registered handler receives; pause and cancel take effect at `checkpoint()`. */
export interface JobContext<TCheckpoint = unknown> {
  readonly job: Job;
  /** The state saved by the last checkpoint, to continue from (undefined on a first run). */
  readonly saved: TCheckpoint | undefined;
  /** Aborted when the job is cancelled or its lease is lost. */
  readonly signal: AbortSignal;
  step(name: string, message?: string): void;
  progress(done: number, total?: number, message?: string): void;
  report(update: ProgressBody): void;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  /**
   * Saves `state` (when given) and honours control: on pause the job becomes paused, its slot
   * is released and this throws JobPaused (the handler exits); on cancel it throws JobCancelled.
   */
  checkpoint(state?: TCheckpoint): Promise<void>;
}

export type JobHandler<TCheckpoint = unknown> = (ctx: JobContext<TCheckpoint>) => Promise<unknown>;

export interface HandlerOptions {
  /** Jobs of this type running at once on this node. */
  concurrency?: number;
}

export interface Runtime {
  register<TCheckpoint = unknown>(type: string, handler: JobHandler<TCheckpoint>, options?: HandlerOptions): void;
  /** Number of handlers running per type on this node. */
  running(): Record<string, number>;
}
