import type { JobAction, JobEventData, JobStatus } from '@headway/protocol';
import type { JobPatch } from '../store/store.js';
import { illegalTransition } from './illegal-transition.js';
import type { JobRecord } from './job-record.js';

export interface TransitionInput {
  now: number;
  error?: { message: string; code?: string };
  result?: unknown;
  checkpoint?: unknown;
  retry?: boolean;
  reason?: string;
  by?: string;
  /** The node acknowledging as the holder of the job's lease (see ActionInput.leaseHolder). */
  leaseHolder?: string;
  backoffMs?: (attempt: number) => number;
}

export interface TransitionPlan {
  patch: JobPatch;
  events: JobEventData[];
}

const MAX_BACKOFF_MS = 300_000;

/** 1 s, 2 s, 4 s … capped at 5 minutes; the service adds jitter. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * The status machine `queued → running ⇄ paused → completed | failed | cancelled`, with retry
 * `failed | cancelled → queued`. Pause and cancel of a running job are requests (the control
 * intent) that the worker acknowledges by asking again; a queued or paused job changes at once.
 * A job run by a runtime holds a lease: only the lease holder acknowledges, so an operator who
 * asks twice does not mark the job paused (and free its lease) while its handler still runs.
 */
export function planAction(job: JobRecord, action: JobAction, input: TransitionInput): TransitionPlan {
  const { now } = input;
  const s = job.status;
  switch (action) {
    case 'start':
      if (s !== 'queued') break;
      // A retry's backoff (runAfter) is over once the job runs, however it was started.
      return move(job, 'running', now, { control: 'run', startedAt: job.startedAt ?? now, runAfter: null }, input.reason);
    case 'complete':
      if (s !== 'running') break;
      return move(job, 'completed', now, {
        percent: 100,
        result: input.result ?? null,
        finishedAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
        eta: null,
        steps: job.steps.map((step) => (step.status === 'pending' || step.status === 'running' ? { ...step, status: 'done', startedAt: step.startedAt ?? now, endedAt: now } : step)),
      }, input.reason);
    case 'fail':
      if (s !== 'running') break;
      return planFailure(job, input);
    case 'pause':
      if (s === 'queued') return move(job, 'paused', now, { control: 'pause', ...pausedAt(now) }, input.reason);
      if (s === 'running' && job.control === 'run') return control('pause', now, input.by);
      if (s === 'running' && job.control === 'pause') {
        if (!acknowledges(job, input)) return unchanged();
        return move(job, 'paused', now, { ...pausedAt(now), leaseOwner: null, leaseExpiresAt: null, ...(input.checkpoint !== undefined ? { checkpoint: input.checkpoint } : {}) }, 'acknowledged');
      }
      break;
    case 'resume':
      if (s === 'paused') return move(job, 'queued', now, { control: 'run', runAfter: null, ...resumedFrom(job, now) }, 'resumed');
      if (s === 'running' && job.control === 'pause') return control('run', now, input.by);
      break;
    case 'cancel':
      if (s === 'queued' || s === 'paused') return move(job, 'cancelled', now, { control: 'cancel', finishedAt: now, eta: null, ...resumedFrom(job, now) }, input.reason);
      if (s === 'running' && job.control !== 'cancel') return control('cancel', now, input.by);
      if (s === 'running') return acknowledges(job, input) ? move(job, 'cancelled', now, { finishedAt: now, eta: null, leaseOwner: null, leaseExpiresAt: null }, 'acknowledged') : unchanged();
      break;
    case 'retry':
      if (s !== 'failed' && s !== 'cancelled') break;
      // Progress starts over; the checkpoint stays so that the handler can continue from it.
      return move(job, 'queued', now, {
        control: 'run',
        attempt: job.attempt + 1,
        error: null,
        result: null,
        finishedAt: null,
        runAfter: null,
        pausedAt: null,
        percent: 0,
        done: 0,
        eta: null,
        milestones: [],
        currentStep: null,
        steps: job.steps.map(({ total: _stepTotal, ...step }) => ({ ...step, status: 'pending', startedAt: null, endedAt: null })),
      }, input.reason ?? 'retried by hand');
  }
  throw illegalTransition(job, action);
}

/** A request repeated while its acknowledgement is awaited: answered with the job as it is. */
function unchanged(): TransitionPlan {
  return { patch: {}, events: [] };
}

/** Whether this call may acknowledge the pending intent: anyone's, unless a runtime holds the lease. */
function acknowledges(job: JobRecord, input: TransitionInput): boolean {
  return job.leaseOwner === null || input.leaseHolder === job.leaseOwner;
}

function planFailure(job: JobRecord, input: TransitionInput): TransitionPlan {
  const { now } = input;
  const error = { message: input.error?.message ?? 'failed', code: input.error?.code ?? null, attempt: job.attempt, at: now };
  const errorEvent: JobEventData = { kind: 'error', message: error.message, code: error.code, attempt: job.attempt };
  const released = { leaseOwner: null, leaseExpiresAt: null, eta: null, error, metrics: { ...job.metrics, errors: job.metrics.errors + 1 } };
  // A failure while a cancel is pending is final: whoever cancelled does not want another attempt.
  const retries = input.retry !== false && job.control !== 'cancel' && job.attempt < job.maxAttempts;
  if (retries && job.control === 'pause') {
    // The next attempt waits for the resume that was asked for; resume puts it back in the queue.
    const plan = move(job, 'paused', now, { ...released, ...pausedAt(now), attempt: job.attempt + 1 }, 'retry');
    return { patch: plan.patch, events: [errorEvent, ...plan.events] };
  }
  if (retries) {
    const backoff = (input.backoffMs ?? defaultBackoffMs)(job.attempt);
    const plan = move(job, 'queued', now, { ...released, attempt: job.attempt + 1, runAfter: now + backoff, control: 'run' }, 'retry');
    return { patch: plan.patch, events: [errorEvent, ...plan.events] };
  }
  const plan = move(job, 'failed', now, { ...released, finishedAt: now });
  return { patch: plan.patch, events: [errorEvent, ...plan.events] };
}

function move(job: JobRecord, to: JobStatus, now: number, patch: JobPatch, reason?: string): TransitionPlan {
  return { patch: { ...patch, status: to, updatedAt: now }, events: [{ kind: 'transition', from: job.status, to, ...(reason ? { reason } : {}) }] };
}

/** A request to the worker: the status stays until the worker acknowledges. */
function control(intent: JobRecord['control'], now: number, by?: string): TransitionPlan {
  return { patch: { control: intent, updatedAt: now }, events: [{ kind: 'control', intent, ...(by ? { by } : {}) }] };
}

/** Paused time is not work time: remember when the pause began. */
function pausedAt(now: number): JobPatch {
  return { pausedAt: now };
}

function resumedFrom(job: JobRecord, now: number): JobPatch {
  return job.pausedAt !== null ? { pausedMs: job.pausedMs + Math.max(0, now - job.pausedAt), pausedAt: null } : {};
}
