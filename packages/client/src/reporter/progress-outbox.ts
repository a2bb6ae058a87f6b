import type { ProgressAnswer, ProgressBody } from '@headway/protocol';
import { errorFromAnswer, isTransientError } from '../errors.js';
import type { BatchProgressAnswer, JobsApi } from '../http/jobs-api.js';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../live/backoff.js';
import { mergeReport, sendDueAt } from './report-queue.js';

export interface OutboxListener {
  onAnswer(answer: ProgressAnswer): void;
  onError(error: Error): void;
}

interface Entry {
  segments: ProgressBody[];
  dueAt: number;
  lastSentAt: number | null;
  throttleMs: number;
  listener: OutboxListener;
  failures: number;
  lastError: Error | null;
}

/**
 * Client-wide outbox for progress reports: waits out each job's throttle, then sends every
 * due job in one request (`POST /v1/progress`) so a busy worker makes few round trips. One
 * request at a time keeps each job's reports in order.
 */
export class ProgressOutbox {
  private readonly entries = new Map<string, Entry>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> | null = null;

  constructor(private readonly api: JobsApi, private readonly now: () => number = Date.now) {}

  queue(jobId: string, patch: ProgressBody, urgent: boolean, throttleMs: number, listener: OutboxListener): void {
    const now = this.now();
    const entry = this.entries.get(jobId) ?? { segments: [], dueAt: Infinity, lastSentAt: null, throttleMs, listener, failures: 0, lastError: null };
    entry.segments = mergeReport(entry.segments, patch);
    entry.throttleMs = throttleMs;
    entry.listener = listener;
    entry.dueAt = Math.min(entry.dueAt, sendDueAt(entry.lastSentAt, throttleMs, urgent, now));
    this.entries.set(jobId, entry);
    this.schedule();
  }

  /** Sends the job's waiting reports now (after any request in flight); rejects if they fail. */
  async flush(jobId: string): Promise<void> {
    const entry = this.entries.get(jobId);
    if (!entry) return;
    entry.lastError = null;
    if (entry.segments.length > 0) entry.dueAt = this.now();
    while (this.sending || entry.segments.length > 0) {
      if (!this.sending) {
        entry.dueAt = Math.min(entry.dueAt, this.now());
        this.sendDue();
      }
      await this.sending;
      if (entry.lastError) throw entry.lastError;
    }
  }

  private schedule(): void {
    if (this.sending) return;
    if (this.timer) clearTimeout(this.timer);
    let next = Infinity;
    for (const entry of this.entries.values()) if (entry.segments.length > 0) next = Math.min(next, entry.dueAt);
    if (next === Infinity) return void (this.timer = null);
    this.timer = setTimeout(() => this.sendDue(), Math.max(0, next - this.now()));
  }

  private sendDue(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.sending) return;
    const now = this.now();
    const batch: Array<[string, Entry, ProgressBody[]]> = [];
    for (const [jobId, entry] of this.entries) {
      if (entry.segments.length === 0 || entry.dueAt > now) continue;
      batch.push([jobId, entry, entry.segments]);
      entry.segments = [];
      entry.dueAt = Infinity;
      entry.lastSentAt = now;
    }
    if (batch.length === 0) return this.schedule();
    this.sending = this.send(batch).finally(() => {
      this.sending = null;
      this.schedule();
    });
  }

  private async send(batch: Array<[string, Entry, ProgressBody[]]>): Promise<void> {
    const [only] = batch;
    try {
      if (batch.length === 1 && only && only[2].length === 1) {
        const answer = await this.api.reportProgress(only[0], only[2][0]!);
        return this.answered(only[1], answer);
      }
      const answers = await this.api.reportMany(batch.flatMap(([jobId, , segments]) => segments.map((segment) => ({ jobId, ...segment }))));
      this.answeredMany(batch, answers);
    } catch (error) {
      for (const [, entry, segments] of batch) this.failed(entry, segments, error);
    }
  }

  private answeredMany(batch: Array<[string, Entry, ProgressBody[]]>, answers: BatchProgressAnswer): void {
    const newest = new Map<string, BatchProgressAnswer[number]>();
    for (const answer of answers) newest.set(answer.jobId, answer);
    for (const [jobId, entry] of batch) {
      const answer = newest.get(jobId);
      if (!answer) continue;
      if ('error' in answer) {
        // A per-job error has no HTTP status of its own; a code this client does not know becomes INTERNAL.
        entry.lastError = errorFromAnswer(0, answer);
        entry.listener.onError(entry.lastError);
      } else this.answered(entry, answer);
    }
  }

  private answered(entry: Entry, answer: ProgressAnswer): void {
    entry.failures = 0;
    entry.lastError = null;
    entry.listener.onAnswer({ seq: answer.seq, control: answer.control });
  }

  /** Transient failures put the reports back (newer ones still win) and retry with backoff. */
  private failed(entry: Entry, segments: ProgressBody[], error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    entry.lastError = err;
    entry.listener.onError(err);
    if (!isTransientError(err)) return;
    entry.segments = entry.segments.reduce(mergeReport, segments);
    entry.failures++;
    entry.dueAt = this.now() + Math.max(entry.throttleMs, backoffDelayMs(entry.failures, DEFAULT_BACKOFF));
  }
}
