import { HeadwayError, type BatchProgressBody, type ProgressAnswer, type ProgressBody } from '@headway/protocol';
import { errorFromAnswer, isTransientError } from '../errors.js';
import type { BatchProgressAnswer, JobsApi } from '../http/jobs-api.js';
import { splitBatch, utf8ByteLength, type BatchLimits } from './batch-limits.js';

/** One waiting report on its way: whose it is, and the item as a batch carries it. */
export interface OutgoingReport<Owner> {
  owner: Owner;
  segment: ProgressBody;
  item: BatchProgressBody[number];
  bytes: number;
}

export function outgoingReport<Owner>(owner: Owner, jobId: string, segment: ProgressBody): OutgoingReport<Owner> {
  const item = { jobId, ...segment };
  return { owner, segment, item, bytes: utf8ByteLength(JSON.stringify(item)) };
}

export interface RoundListener<Owner> {
  answered(owner: Owner, answer: ProgressAnswer): void;
  refused(owner: Owner, error: Error): void;
}

/** One owner's reports that wait for a retry, in order, and why. */
export interface HeldReports {
  segments: ProgressBody[];
  error: Error;
}

/** The server's smallest body limit setting: adapting to a lower limit stops here. */
const MIN_BATCH_BYTES = 1_024;

/** Codes a batch answers for one report that mean "not now": that report is sent again. */
const RETRYABLE_ITEM_CODES = new Set(['RATE_LIMITED', 'NOT_READY', 'INTERNAL', 'CONFLICT']);

/**
 * Sends one round of due reports in batches within `limits`, one request at a time so each
 * job's reports stay in order. A batch refused as a whole (400, 413) is halved until the refused
 * reports stand alone, so one job's bad report fails only that job. Answers the reports that
 * wait for a retry: all from the batch the server could not take on, and a job's from the report
 * the server answered "not now" for (its later ones too, to keep them in order).
 */
export async function sendRound<Owner>(api: JobsApi, reports: Array<OutgoingReport<Owner>>, limits: BatchLimits, listener: RoundListener<Owner>): Promise<Map<Owner, HeldReports>> {
  const round = new Round(api, limits, listener);
  await round.sendInOrder(splitBatch(reports, limits));
  return round.held;
}

class Round<Owner> {
  readonly held = new Map<Owner, HeldReports>();

  constructor(
    private readonly api: JobsApi,
    private readonly limits: BatchLimits,
    private readonly listener: RoundListener<Owner>,
  ) {}

  /** Stops at the first batch the server could not take on: the rest wait too. Answers why, or null. */
  async sendInOrder(batches: Array<Array<OutgoingReport<Owner>>>): Promise<Error | null> {
    for (const [index, batch] of batches.entries()) {
      const unreachable = await this.sendBatch(batch);
      if (unreachable) {
        this.hold(batches.slice(index + 1).flat(), unreachable);
        return unreachable;
      }
    }
    return null;
  }

  private async sendBatch(batch: Array<OutgoingReport<Owner>>): Promise<Error | null> {
    const sendable = batch.filter((report) => !this.heldBehind(report));
    if (sendable.length === 0) return null;
    let answers: BatchProgressAnswer;
    try {
      answers = await post(this.api, sendable);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      if (isTransientError(error)) {
        this.hold(sendable, error);
        return error;
      }
      if (sendable.length > 1 && error instanceof HeadwayError && (error.code === 'VALIDATION_FAILED' || error.code === 'PAYLOAD_TOO_LARGE')) {
        return this.sendHalves(sendable, error);
      }
      for (const owner of new Set(sendable.map((report) => report.owner))) this.listener.refused(owner, error);
      return null;
    }
    sendable.forEach((report, index) => this.answered(report, answers[index]));
    return null;
  }

  private sendHalves(batch: Array<OutgoingReport<Owner>>, refusal: HeadwayError): Promise<Error | null> {
    if (refusal.code === 'PAYLOAD_TOO_LARGE') {
      // The server's body limit is below ours: later rounds start from half of what it refused.
      const bodyBytes = batch.reduce((sum, report) => sum + report.bytes + 1, 1);
      this.limits.maxBytes = Math.max(MIN_BATCH_BYTES, Math.min(this.limits.maxBytes, Math.floor(bodyBytes / 2)));
    }
    const middle = Math.ceil(batch.length / 2);
    return this.sendInOrder([batch.slice(0, middle), batch.slice(middle)]);
  }

  private answered(report: OutgoingReport<Owner>, answer: BatchProgressAnswer[number] | undefined): void {
    if (!answer || this.heldBehind(report)) return;
    if (!('error' in answer)) return this.listener.answered(report.owner, { seq: answer.seq, control: answer.control });
    // A per-job error has no HTTP status of its own; a code this client does not know becomes INTERNAL.
    const error = errorFromAnswer(0, answer);
    if (RETRYABLE_ITEM_CODES.has(answer.error.code)) this.hold([report], error);
    else this.listener.refused(report.owner, error);
  }

  /** A report of a job whose earlier report waits for the retry waits too, behind it. */
  private heldBehind(report: OutgoingReport<Owner>): boolean {
    const held = this.held.get(report.owner);
    held?.segments.push(report.segment);
    return held !== undefined;
  }

  private hold(reports: Array<OutgoingReport<Owner>>, error: Error): void {
    for (const report of reports) {
      if (!this.heldBehind(report)) this.held.set(report.owner, { segments: [report.segment], error });
    }
  }
}

/** One report alone goes to its job's own route; both routes answer per report. */
async function post<Owner>(api: JobsApi, reports: Array<OutgoingReport<Owner>>): Promise<BatchProgressAnswer> {
  const [only] = reports;
  if (only && reports.length === 1) return [{ jobId: only.item.jobId, ...(await api.reportProgress(only.item.jobId, only.segment)) }];
  return api.reportMany(reports.map((report) => report.item));
}
