import { CONTROL_INTENTS, HeadwayError, JOB_ACTIONS, JOB_STATUSES, type ControlIntent, type JobAction, type JobStatus } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { defaultBackoffMs, planAction } from '../../src/model/transitions.js';
import { jobWith } from './job.js';

/** A new status, a new control intent only (status unchanged), or a rejection. */
type Outcome = JobStatus | `control:${ControlIntent}` | 'illegal';
type Row = Record<JobAction, Outcome>;

const X = 'illegal' as const;
const ONLY_RETRY: Row = { start: X, complete: X, fail: X, pause: X, resume: X, cancel: X, retry: 'queued' };
const NOTHING: Row = { start: X, complete: X, fail: X, pause: X, resume: X, cancel: X, retry: X };

/**
 * What every action does to a job in every status, under every control intent. Only a running
 * job's behaviour depends on its intent; for the other statuses one row holds for all three.
 */
const TABLE: Record<JobStatus, Row | Record<ControlIntent, Row>> = {
  queued: { start: 'running', complete: X, fail: X, pause: 'paused', resume: X, cancel: 'cancelled', retry: X },
  running: {
    run: { start: X, complete: 'completed', fail: 'failed', pause: 'control:pause', resume: X, cancel: 'control:cancel', retry: X },
    pause: { start: X, complete: 'completed', fail: 'failed', pause: 'paused', resume: 'control:run', cancel: 'control:cancel', retry: X },
    cancel: { start: X, complete: 'completed', fail: 'failed', pause: X, resume: X, cancel: 'cancelled', retry: X },
  },
  paused: { start: X, complete: X, fail: X, pause: X, resume: 'queued', cancel: 'cancelled', retry: X },
  completed: NOTHING,
  failed: ONLY_RETRY,
  cancelled: ONLY_RETRY,
};

function expectedOutcome(status: JobStatus, control: ControlIntent, action: JobAction): Outcome {
  const row = TABLE[status];
  return 'start' in row ? row[action] : row[control][action];
}

function rejection(run: () => unknown): HeadwayError {
  try {
    run();
  } catch (error) {
    if (error instanceof HeadwayError) return error;
    throw error;
  }
  throw new Error('expected an ILLEGAL_TRANSITION error, got none');
}

describe('status machine: every status × control intent × action', () => {
  for (const status of JOB_STATUSES) {
    for (const control of CONTROL_INTENTS) {
      for (const action of JOB_ACTIONS) {
        const expected = expectedOutcome(status, control, action);
        it(`${action} on a ${status} job with control "${control}" → ${expected}`, () => {
          // maxAttempts 1, so that a failure is final and shows as "failed".
          const job = jobWith({ status, control, maxAttempts: 1 });
          if (expected === 'illegal') {
            const error = rejection(() => planAction(job, action, { now: 2_000 }));
            expect(error.code).toBe('ILLEGAL_TRANSITION');
            expect(error.details).toEqual({ jobId: 'job-1', status, control, action });
            expect(error.message).toMatch(new RegExp(`^job job-1 is ${status}`));
            return;
          }
          const plan = planAction(job, action, { now: 2_000, error: { message: 'boom' }, by: 'ops' });
          if (expected.startsWith('control:')) {
            const intent = expected.slice('control:'.length);
            expect(plan.patch.status).toBeUndefined();
            expect(plan.patch.control).toBe(intent);
            expect(plan.events).toEqual([{ kind: 'control', intent, by: 'ops' }]);
          } else {
            expect(plan.patch.status).toBe(expected);
            expect(plan.patch.updatedAt).toBe(2_000);
            expect(plan.events.filter((e) => e.kind === 'transition')).toEqual([expect.objectContaining({ kind: 'transition', from: status, to: expected })]);
          }
        });
      }
    }
  }
});

describe('status machine: what each transition records', () => {
  it('start sets startedAt once and keeps it across later attempts', () => {
    expect(planAction(jobWith(), 'start', { now: 5 }).patch).toMatchObject({ status: 'running', control: 'run', startedAt: 5 });
    expect(planAction(jobWith({ startedAt: 3 }), 'start', { now: 9 }).patch.startedAt).toBe(3);
  });

  it('start ends a retry backoff: a job started by hand before its runAfter does not keep it', () => {
    expect(planAction(jobWith({ runAfter: 60_000 }), 'start', { now: 5 }).patch.runAfter).toBeNull();
  });

  it('complete stores the result, reaches 100 %, finishes unfinished steps and releases the lease', () => {
    const steps = [
      { name: 'a', weight: 1, status: 'done' as const, startedAt: 1, endedAt: 2 },
      { name: 'b', weight: 1, status: 'skipped' as const, startedAt: null, endedAt: null },
      { name: 'c', weight: 1, status: 'running' as const, startedAt: 2, endedAt: null },
      { name: 'd', weight: 1, status: 'pending' as const, startedAt: null, endedAt: null },
    ];
    const job = jobWith({ status: 'running', percent: 70, steps, leaseOwner: 'node-a', leaseExpiresAt: 99 });
    const plan = planAction(job, 'complete', { now: 50, result: { rows: 3 } });
    expect(plan.patch).toMatchObject({ status: 'completed', percent: 100, result: { rows: 3 }, finishedAt: 50, leaseOwner: null, leaseExpiresAt: null });
    expect(plan.patch.steps?.map((s) => [s.name, s.status, s.endedAt])).toEqual([['a', 'done', 2], ['b', 'skipped', null], ['c', 'done', 50], ['d', 'done', 50]]);
  });

  it('a failure with attempts left records the error, then goes back to the queue after the backoff', () => {
    const job = jobWith({ status: 'running', attempt: 1, maxAttempts: 3, leaseOwner: 'node-a' });
    const plan = planAction(job, 'fail', { now: 10_000, error: { message: 'timeout', code: 'ETIMEDOUT' }, backoffMs: (a) => a * 1000 });
    expect(plan.patch).toMatchObject({ status: 'queued', attempt: 2, runAfter: 11_000, leaseOwner: null, error: { message: 'timeout', code: 'ETIMEDOUT', attempt: 1, at: 10_000 } });
    expect(plan.events).toEqual([
      { kind: 'error', message: 'timeout', code: 'ETIMEDOUT', attempt: 1 },
      { kind: 'transition', from: 'running', to: 'queued', reason: 'retry' },
    ]);
  });

  it('the last attempt fails for good', () => {
    const plan = planAction(jobWith({ status: 'running', attempt: 3, maxAttempts: 3 }), 'fail', { now: 7, error: { message: 'boom' } });
    expect(plan.patch).toMatchObject({ status: 'failed', finishedAt: 7, error: { message: 'boom', code: null, attempt: 3 } });
  });

  it('a failure that asks for no retry is final even with attempts left', () => {
    const plan = planAction(jobWith({ status: 'running', maxAttempts: 5 }), 'fail', { now: 1, error: { message: 'bad input' }, retry: false });
    expect(plan.patch.status).toBe('failed');
  });

  it('a failure while a cancel is pending is final; while a pause is pending the next attempt waits paused', () => {
    const cancelling = planAction(jobWith({ status: 'running', control: 'cancel', maxAttempts: 5 }), 'fail', { now: 1, error: { message: 'aborted' } });
    expect(cancelling.patch.status).toBe('failed');
    const pausing = planAction(jobWith({ status: 'running', control: 'pause', maxAttempts: 5 }), 'fail', { now: 4, error: { message: 'x' } });
    expect(pausing.patch).toMatchObject({ status: 'paused', attempt: 2, pausedAt: 4 });
  });

  it('backoff doubles from one second and is capped at five minutes', () => {
    expect([1, 2, 3, 4].map(defaultBackoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(defaultBackoffMs(30)).toBe(300_000);
  });

  it('pausing a running job asks the worker; its acknowledgement saves the checkpoint and releases the lease', () => {
    const running = jobWith({ status: 'running', leaseOwner: 'node-a', leaseExpiresAt: 9 });
    const asked = planAction(running, 'pause', { now: 4_000, by: 'alice' });
    expect(asked.patch).toEqual({ control: 'pause', updatedAt: 4_000 });
    const acked = planAction({ ...running, ...asked.patch }, 'pause', { now: 5_000, checkpoint: { row: 40_000 }, leaseHolder: 'node-a' });
    expect(acked.patch).toMatchObject({ status: 'paused', pausedAt: 5_000, checkpoint: { row: 40_000 }, leaseOwner: null, leaseExpiresAt: null });
    expect(acked.events).toEqual([{ kind: 'transition', from: 'running', to: 'paused', reason: 'acknowledged' }]);
  });

  it('a leased job is acknowledged by its lease holder only: asking again changes nothing', () => {
    for (const intent of ['pause', 'cancel'] as const) {
      const pending = jobWith({ status: 'running', control: intent, leaseOwner: 'node-a', leaseExpiresAt: 9 });
      for (const input of [{ now: 5_000, by: 'alice' }, { now: 5_000, leaseHolder: 'node-b' }]) {
        expect(planAction(pending, intent, input), `${intent} by ${JSON.stringify(input)}`).toEqual({ patch: {}, events: [] });
      }
      const acked = planAction(pending, intent, { now: 5_000, leaseHolder: 'node-a' });
      expect(acked.patch).toMatchObject({ status: intent === 'pause' ? 'paused' : 'cancelled', leaseOwner: null });
    }
    // A job reported from outside has no lease: its worker acknowledges by asking again.
    const reported = jobWith({ status: 'running', control: 'pause', leaseOwner: null });
    expect(planAction(reported, 'pause', { now: 5_000 }).patch).toMatchObject({ status: 'paused' });
  });

  it('time spent paused is added to pausedMs when the job is resumed or cancelled', () => {
    const paused = jobWith({ status: 'paused', control: 'pause', pausedAt: 5_000, pausedMs: 1_000 });
    expect(planAction(paused, 'resume', { now: 65_000 }).patch).toMatchObject({ status: 'queued', control: 'run', pausedMs: 61_000, pausedAt: null });
    expect(planAction(paused, 'cancel', { now: 6_000 }).patch).toMatchObject({ status: 'cancelled', pausedMs: 2_000, pausedAt: null, finishedAt: 6_000 });
  });

  it('retry starts progress over but keeps the checkpoint, so the handler continues from it', () => {
    const steps = [{ name: 'a', weight: 1, status: 'done' as const, startedAt: 1, endedAt: 2, total: 10 }];
    const job = jobWith({ status: 'failed', percent: 60, done: 6, checkpoint: { row: 12 }, attempt: 3, steps, milestones: [25, 50], error: { message: 'x', code: null, attempt: 3, at: 1 } });
    const plan = planAction(job, 'retry', { now: 1 });
    expect(plan.patch).toMatchObject({ status: 'queued', control: 'run', percent: 0, done: 0, attempt: 4, error: null, runAfter: null, finishedAt: null, milestones: [] });
    expect(plan.patch.steps).toEqual([{ name: 'a', weight: 1, status: 'pending', startedAt: null, endedAt: null }]);
    expect(plan.patch).not.toHaveProperty('checkpoint');
  });
});

describe('status machine: rejections say what is allowed', () => {
  const messageOf = (overrides: Parameters<typeof jobWith>[0], action: JobAction) => rejection(() => planAction(jobWith({ id: '0193abcd', ...overrides }), action, { now: 1 })).message;

  it('retrying a completed job', () => {
    expect(messageOf({ status: 'completed' }, 'retry')).toBe('job 0193abcd is completed; only failed or cancelled jobs can be retried');
  });

  it('pausing a job that is already paused', () => {
    expect(messageOf({ status: 'paused', control: 'pause' }, 'pause')).toBe('job 0193abcd is paused already; only queued jobs and running jobs can be paused');
  });

  it('pausing or resuming a job whose cancel is pending', () => {
    expect(messageOf({ status: 'running', control: 'cancel' }, 'pause')).toMatch(/is running with a cancel pending, so it can no longer be paused/);
    expect(messageOf({ status: 'running', control: 'cancel' }, 'resume')).toMatch(/can no longer be resumed/);
  });

  it('resuming a job that is not paused', () => {
    expect(messageOf({ status: 'running', control: 'run' }, 'resume')).toBe('job 0193abcd is running, not paused; only paused jobs, or running jobs with a pause pending, can be resumed');
  });

  it('completing a job that is not running', () => {
    expect(messageOf({ status: 'queued' }, 'complete')).toBe('job 0193abcd is queued; only running jobs can be completed');
  });
});
