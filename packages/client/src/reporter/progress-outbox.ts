import type { ProgressAnswer, ProgressBody } from '@headway/protocol';
import type { JobsApi } from '../http/jobs-api.js';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../live/backoff.js';
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from './batch-limits.js';
import { mergeReport, sendDueAt } from './report-queue.js';
import { outgoingReport, sendRound, type HeldReports, type OutgoingReport } from './report-round.js';

export interface OutboxListener {
  onAnswer(answer: ProgressAnswer): void;
  onError(error: Error): void;
}

interface Entry {
  jobId: string;
  segments: ProgressBody[];
  dueAt: number;
  /** After a failed send, nothing goes before this, however many reports arrive meanwhile. */
  retryAt: number;
  lastSentAt: number | null;
  throttleMs: number;
  /** Every reporter of the job: each hears the control intent. */
  listeners: Set<OutboxListener>;
  failures: number;
  lastError: Error | null;
}

/**
 * Client-wide outbox for progress reports: waits out each job's throttle, then sends every
 * due job's reports together (`POST /v1/progress`, split within the server's limits) so a busy
 * worker makes few round trips. One round at a time keeps each job's reports in order.
 */
export class ProgressOutbox {
  private readonly entries = new Map<string, Entry>();
  /** Lowered for good when the server answers 413 (see sendRound). */
  private readonly limits: BatchLimits = { ...DEFAULT_BATCH_LIMITS };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private sending: Promise<void> | null = null;

  constructor(private readonly api: JobsApi, private readonly now: () => number = Date.now) {}

  queue(jobId: string, patch: ProgressBody, urgent: boolean, throttleMs: number, listener: OutboxListener): void {
    let entry = this.entries.get(jobId);
    if (!entry) {
      entry = { jobId, segments: [], dueAt: Infinity, retryAt: 0, lastSentAt: null, throttleMs, listeners: new Set(), failures: 0, lastError: null };
      this.entries.set(jobId, entry);
    }
    mergeReport(entry.segments, patch);
    entry.throttleMs = throttleMs;
    entry.listeners.add(listener);
    entry.dueAt = Math.max(entry.retryAt, Math.min(entry.dueAt, sendDueAt(entry.lastSentAt, throttleMs, urgent, this.now())));
    this.schedule(entry.dueAt);
  }

  /** Sends the job's waiting reports now (after any round in flight); rejects if they fail. */
  async flush(jobId: string): Promise<void> {
    const entry = this.entries.get(jobId);
    if (!entry) return;
    entry.lastError = null;
    while (this.sending || entry.segments.length > 0) {
      if (!this.sending) {
        // Asked for explicitly: neither the throttle nor a retry's backoff holds it back.
        entry.dueAt = this.now();
        this.sendDue();
      }
      await this.sending;
      if (entry.lastError) throw entry.lastError;
    }
  }

  /** Sets the timer for `at` unless an earlier one is set, or a round in flight will look when it ends. */
  private schedule(at: number): void {
    if (this.sending || at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => this.sendDue(), Math.max(0, at - this.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private sendDue(): void {
    this.clearTimer();
    if (this.sending) return;
    const now = this.now();
    const reports: Array<OutgoingReport<Entry>> = [];
    for (const entry of this.entries.values()) {
      if (entry.segments.length === 0 || entry.dueAt > now) continue;
      for (const segment of entry.segments) reports.push(outgoingReport(entry, entry.jobId, segment));
      entry.segments = [];
      entry.dueAt = Infinity;
      entry.lastSentAt = now;
    }
    if (reports.length === 0) return this.scheduleNext();
    this.sending = this.sendReports(reports).finally(() => {
      this.sending = null;
      this.scheduleNext();
    });
  }

  private async sendReports(reports: Array<OutgoingReport<Entry>>): Promise<void> {
    const held = await sendRound(this.api, reports, this.limits, {
      answered: (entry, answer) => {
        entry.failures = 0;
        entry.retryAt = 0;
        for (const listener of entry.listeners) listener.onAnswer(answer);
      },
      refused: (entry, error) => this.failed(entry, error),
    });
    for (const [entry, reportsHeld] of held) this.retryLater(entry, reportsHeld);
  }

  /** Held reports go back in front of the newer ones and wait out a backoff. */
  private retryLater(entry: Entry, held: HeldReports): void {
    for (const segment of entry.segments) mergeReport(held.segments, segment);
    entry.segments = held.segments;
    entry.failures++;
    entry.retryAt = this.now() + Math.max(entry.throttleMs, backoffDelayMs(entry.failures, DEFAULT_BACKOFF));
    entry.dueAt = entry.retryAt;
    this.failed(entry, held.error);
  }

  private failed(entry: Entry, error: Error): void {
    entry.lastError = error;
    for (const listener of entry.listeners) listener.onError(error);
  }

  /** A reporter done with its job (finished, or gone) stops hearing answers; a job nobody reports for is forgotten. */
  release(jobId: string, listener: OutboxListener): void {
    const entry = this.entries.get(jobId);
    entry?.listeners.delete(listener);
    if (!this.sending && entry && isForgettable(entry)) this.entries.delete(jobId);
  }

  /** After a round: forgets released jobs and sets the timer for the next due report. */
  private scheduleNext(): void {
    let next = Infinity;
    for (const [jobId, entry] of this.entries) {
      if (entry.segments.length > 0) next = Math.min(next, entry.dueAt);
      else if (isForgettable(entry)) this.entries.delete(jobId);
    }
    if (next < Infinity) this.schedule(next);
  }
}

function isForgettable(entry: Entry): boolean {
  return entry.listeners.size === 0 && entry.segments.length === 0;
}
