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
import type { Endpoint } from './rest.js';

export type BatchProgressAnswer = Array<({ jobId: string } & ProgressAnswer) | { jobId: string; error: { code: string; message: string } }>;

export interface JobPage {
  items: Job[];
  nextCursor: string | null;
  /** The event cursor read before this page: a stream of many jobs subscribed after it gets exactly the events that followed. Absent from servers older than it. */
  eventCursor?: number;
}

export interface WaitForChangeOptions {
  /**
   * How long the server may hold the request before it answers the unchanged job, in ms: 0 to
   * 30,000 (the server refuses others with VALIDATION_FAILED); by default the server's, 25,000.
   * A caller that aborts a silent request itself should allow it longer than this.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CreateJobOptions {
  /** 1–255 visible ASCII characters without spaces; a random UUID when left out. Keys are per API key or user. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** A random UUID (crypto.randomUUID is missing from browsers' plain-http pages: built from getRandomValues there). */
export function newIdempotencyKey(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface MintedToken {
  token: string;
  expiresAt: number;
}

const enc = encodeURIComponent;

/** Typed calls for every `/v1` route of the public contract. */
export class JobsApi {
  constructor(private readonly endpoint: Endpoint) {}

  /**
   * Creates a job, at most once: the request carries an Idempotency-Key (`options.idempotencyKey`,
   * or a random one), so it is sent again when no answer came, and the server answers the job
   * the first send created instead of creating another. Pass a key of your own (an order id, say)
   * to make a worker that restarts and creates "the same" job again get the first one back.
   * A bare AbortSignal as the second argument is still accepted.
   */
  createJob(body: CreateJobBody, options: CreateJobOptions | AbortSignal = {}): Promise<Job> {
    const { idempotencyKey = newIdempotencyKey(), signal } = 'aborted' in options ? { signal: options } : options;
    return this.endpoint.request('POST', 'v1/jobs', { body, signal, idempotencyKey });
  }

  getJob(id: string, signal?: AbortSignal): Promise<Job> {
    return this.endpoint.request('GET', `v1/jobs/${enc(id)}`, { signal });
  }

  listJobs(query: ListJobsQuery = {}, signal?: AbortSignal): Promise<JobPage> {
    return this.endpoint.request('GET', 'v1/jobs', { query: { ...query }, signal });
  }

  /**
   * Long-poll: the job once its seq or progress moves past `afterSeq`, or as it is when
   * `timeoutMs` passes. A bare AbortSignal as the third argument is still accepted.
   */
  waitForChange(id: string, afterSeq: number, options: WaitForChangeOptions | AbortSignal = {}): Promise<Job> {
    const { timeoutMs, signal } = 'aborted' in options ? { timeoutMs: undefined, signal: options } : options;
    return this.endpoint.request('GET', `v1/jobs/${enc(id)}`, { query: { waitForChangeAfter: afterSeq, timeoutMs }, signal });
  }

  /** One progress report; the answer carries the job's control intent. */
  reportProgress(id: string, body: ProgressBody, signal?: AbortSignal): Promise<ProgressAnswer> {
    return this.endpoint.request('POST', `v1/jobs/${enc(id)}/progress`, { body, signal });
  }

  /** Reports for many jobs in one request; each answer is a seq and control, or an error. */
  reportMany(items: BatchProgressBody, signal?: AbortSignal): Promise<BatchProgressAnswer> {
    return this.endpoint.request('POST', 'v1/progress', { body: items, signal });
  }

  act(id: string, action: JobAction, body: Record<string, unknown> = {}, signal?: AbortSignal): Promise<Job> {
    return this.endpoint.request('POST', `v1/jobs/${enc(id)}/${action}`, { body, signal });
  }

  start(id: string): Promise<Job> {
    return this.act(id, 'start');
  }

  complete(id: string, result?: unknown): Promise<Job> {
    return this.act(id, 'complete', result === undefined ? {} : { result });
  }

  fail(id: string, error: { message: string; code?: string }, options: { retry?: boolean } = {}): Promise<Job> {
    return this.act(id, 'fail', { error, ...(options.retry === undefined ? {} : { retry: options.retry }) });
  }

  pause(id: string): Promise<Job> {
    return this.act(id, 'pause');
  }

  resume(id: string): Promise<Job> {
    return this.act(id, 'resume');
  }

  cancel(id: string): Promise<Job> {
    return this.act(id, 'cancel');
  }

  retry(id: string): Promise<Job> {
    return this.act(id, 'retry');
  }

  /** The job's audit trail after `after` (a seq). */
  async events(id: string, options: { after?: number; limit?: number } = {}, signal?: AbortSignal): Promise<JobEvent[]> {
    const body = await this.endpoint.request<JobEvent[] | { items?: JobEvent[]; events?: JobEvent[] }>('GET', `v1/jobs/${enc(id)}/events`, {
      query: { after: options.after, limit: options.limit },
      signal,
    });
    return Array.isArray(body) ? body : (body.items ?? body.events ?? []);
  }

  /** A user token for browsers (needs the admin key, or an API key with jobs:read and jobs:write). */
  mintToken(sub: string, options: { ttlSeconds?: number } = {}): Promise<MintedToken> {
    return this.endpoint.request('POST', 'v1/tokens', { body: { sub, ...options } });
  }

  health(signal?: AbortSignal): Promise<unknown> {
    return this.endpoint.request('GET', 'v1/health', { signal });
  }
}
