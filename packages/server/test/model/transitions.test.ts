import { JOB_ACTIONS, type ControlIntent, type JobAction, type JobStatus } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { planAction } from '../../src/model/transitions.js';
import { jobWith } from './job.js';

type Outcome = JobStatus | `control:${ControlIntent}` | 'illegal';

/** Every status × control × action, and what must happen. */
const TABLE: Array<[JobStatus, ControlIntent, Record<JobAction, Outcome>]> = [
  ['queued', 'run', { start: 'running', complete: 'illegal', fail: 'illegal', pause: 'paused', resume: 'illegal', cancel: 'cancelled', retry: 'illegal' }],
  ['running', 'run', { start: 'illegal', complete: 'completed', fail: 'failed', pause: 'control:pause', resume: 'illegal', cancel: 'control:cancel', retry: 'illegal' }],
  ['running', 'pause', { start: 'illegal', complete: 'completed', fail: 'failed', pause: 'paused', resume: 'control:run', cancel: 'control:cancel', retry: 'illegal' }],
  ['running', 'cancel', { start: 'illegal', complete: 'completed', fail: 'failed', pause: 'illegal', resume: 'illegal', cancel: 'cancelled', retry: 'illegal' }],
  ['paused', 'pause', { start: 'illegal', complete: 'illegal', fail: 'illegal', pause: 'illegal', resume: 'queued', cancel: 'cancelled', retry: 'illegal' }],
  ['completed', 'run', { start: 'illegal', complete: 'illegal', fail: 'illegal', pause: 'illegal', resume: 'illegal', cancel: 'illegal', retry: 'illegal' }],
  ['failed', 'run', { start: 'illegal', complete: 'illegal', fail: 'illegal', pause: 'illegal', resume: 'illegal', cancel: 'illegal', retry: 'queued' }],
  ['cancelled', 'cancel', { start: 'illegal', complete: 'illegal', fail: 'illegal', pause: 'illegal', resume: 'illegal', cancel: 'illegal', retry: 'queued' }],
];

describe('status machine', () => {
  for (const [status, control, outcomes] of TABLE) {
    for (const action of JOB_ACTIONS) {
      const expected = outcomes[action];
      it(`${action} on a ${status} job (control ${control}) → ${expected}`, () => {
        // maxAttempts 1 so that fail is final and shows as "failed".
        const job = jobWith({ status, control, maxAttempts: 1 });
        if (expected === 'illegal') {
          let error: unknown;
          try {
            planAction(job, action, { now: 2_000 });
          } catch (e) {
            error = e;
          }
          expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { jobId: 'job-1', status, action } });
          expect(String((error as Error).message)).toMatch(new RegExp(`job job-1 is ${status}`));
          return;
        }
        const plan = planAction(job, action, { now: 2_000, error: { message: 'boom' } });
        if (expected.startsWith('control:')) {
          const intent = expected.slice('control:'.length);
          expect(plan.patch.status).toBeUndefined();
          expect(plan.patch.control).toBe(intent);
          expect(plan.events).toEqual([{ kind: 'control', intent }]);
        } else {
          expect(plan.patch.status).toBe(expected);
          expect(plan.events.at(-1)).toMatchObject({ kind: 'transition', from: status, to: expected });
        }
      });
    }
  }

  it('a failure with attempts left goes back to the queue with backoff and records the error', () => {
    const job = jobWith({ status: 'running', attempt: 1, maxAttempts: 3 });
    const plan = planAction(job, 'fail', { now: 10_000, error: { message: 'timeout', code: 'ETIMEDOUT' }, backoffMs: (a) => a * 1000 });
    expect(plan.patch).toMatchObject({ status: 'queued', attempt: 2, runAfter: 11_000, error: { message: 'timeout', code: 'ETIMEDOUT', attempt: 1 } });
    expect(plan.events.map((e) => e.kind)).toEqual(['error', 'transition']);
  });

  it('a failure that asks for no retry is final even with attempts left', () => {
    const plan = planAction(jobWith({ status: 'running', maxAttempts: 5 }), 'fail', { now: 1, error: { message: 'bad input' }, retry: false });
    expect(plan.patch.status).toBe('failed');
  });

  it('time spent paused is added to pausedMs on resume', () => {
    const paused = { ...jobWith({ status: 'running', control: 'pause' }) };
    const pause = planAction(paused, 'pause', { now: 5_000, checkpoint: { row: 40_000 } });
    expect(pause.patch).toMatchObject({ status: 'paused', pausedAt: 5_000, checkpoint: { row: 40_000 } });
    const resumed = planAction({ ...paused, ...pause.patch } as never, 'resume', { now: 65_000 });
    expect(resumed.patch).toMatchObject({ status: 'queued', pausedMs: 60_000, pausedAt: null, control: 'run' });
  });

  it('retry keeps the checkpoint and resets progress', () => {
    const job = jobWith({ status: 'failed', percent: 60, checkpoint: { row: 12 }, attempt: 3 });
    const plan = planAction(job, 'retry', { now: 1 });
    expect(plan.patch).toMatchObject({ status: 'queued', percent: 0, attempt: 4, error: null });
    expect(plan.patch.checkpoint).toBeUndefined();
  });
});
