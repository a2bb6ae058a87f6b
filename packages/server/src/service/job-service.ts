import type {
  BatchProgressBody,
  CreateJobBody,
  Job,
  JobAction,
  JobEvent,
  ListJobsQuery,
  ProgressAnswer,
  ProgressBody,
} from '@headway/protocol';
import type { Actor } from './actor.js';

export type BatchProgressAnswer = Array<
  ({ jobId: string } & ProgressAnswer) | { jobId: string; error: { code: string; message: string } }
>;

/** Body accepted by `act`: fail takes an error, complete a result, the rest nothing. */
export interface ActionInput {
  error?: { message: string; code?: string };
  result?: unknown;
  retry?: boolean;
  /** Checkpoint saved with pause/complete acknowledgements from workers. */
  checkpoint?: unknown;
  /**
   * The node whose runtime holds the job's lease, acknowledging the pause or cancel it was asked
   * for. In-process only: HTTP bodies cannot carry it. A leased job's pending pause or cancel is
   * acknowledged by its lease holder alone; the same request again from anyone else changes nothing.
   */
  leaseHolder?: string;
}

/**
 * What the HTTP layer, the CLI and in-process callers use to work with jobs. Every method
 * checks that the actor may see the job (404 otherwise) and throws HeadwayError.
 */
export interface JobService {
  create(body: CreateJobBody, actor: Actor): Promise<Job>;
  /**
   * Creates the job once per caller and Idempotency-Key: the same key with the same body again
   * answers the job it created, as it is now (`replayed`), for as long as that job is kept; with
   * another body it is refused (409 CONFLICT). Safe for a client to resend after a lost answer.
   */
  createOnce(body: CreateJobBody, actor: Actor, idempotencyKey: string): Promise<{ job: Job; replayed: boolean }>;
  get(id: string, actor: Actor): Promise<Job>;
  list(query: ListJobsQuery, actor: Actor): Promise<{ items: Job[]; nextCursor: string | null }>;
  /** Accepts a progress report; answers at once with the job's seq and control intent. */
  report(id: string, body: ProgressBody, actor: Actor): Promise<ProgressAnswer>;
  reportMany(items: BatchProgressBody, actor: Actor): Promise<BatchProgressAnswer>;
  act(id: string, action: JobAction, input: ActionInput, actor: Actor): Promise<Job>;
  events(id: string, afterSeq: number, limit: number, actor: Actor): Promise<JobEvent[]>;
  /**
   * Resolves with the job once its seq or progress changes after `afterSeq`, at the timeout, or
   * at once when `signal` aborts (the caller went away; nothing keeps waiting for it).
   */
  waitForChange(id: string, afterSeq: number, timeoutMs: number, actor: Actor, signal?: AbortSignal): Promise<Job>;
}
