import { MAX_STEPS, type JobStep } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_RESOLUTION_MS, type JobRecord } from '../../src/model/job-record.js';
import { applyProgress, percentOf, type ProgressInput } from '../../src/model/progress.js';
import { jobWith } from './job.js';

const declared = (...weights: number[]): JobStep[] => weights.map((weight, i) => ({ name: `s${i}`, weight, status: 'pending', startedAt: null, endedAt: null }));

/** Applies reports one after another, as the service does, and returns the final record. */
function report(job: JobRecord, ...inputs: ProgressInput[]): JobRecord {
  let now = job.updatedAt;
  for (const input of inputs) job = { ...job, ...applyProgress(job, input, ++now).patch };
  return job;
}

describe('progress: units, steps and percent', () => {
  it('without steps, units done/total give the percent of the whole job', () => {
    expect(report(jobWith({ total: 200 }), { done: 50 }).percent).toBe(25);
  });

  it('an explicit percent overrides the units', () => {
    expect(report(jobWith({ total: 200 }), { done: 50, percent: 40 }).percent).toBe(40);
  });

  it('declared weighted steps: finished steps count whole, the running one by its own units', () => {
    const job = report(jobWith({ status: 'running', steps: declared(1, 3) }), { step: 's0' }, { step: 's1', done: 1, total: 2 });
    // s0 (weight 1) done, s1 (weight 3) half way: (1 + 1.5) / 4
    expect(job.percent).toBeCloseTo(62.5);
    expect(job.steps.map((s) => s.status)).toEqual(['done', 'running']);
  });

  it('a twelve-step plan with different weights rolls up by weight, and each step counts its own units', () => {
    const weights = [1, 0.5, 1, 2, 3, 2, 1, 1.5, 4, 3, 1, 0.5];
    let job = jobWith({ status: 'running', steps: declared(...weights) });
    for (let i = 0; i < 9; i++) job = report(job, { step: `s${i}` }, { done: 12, total: 48 }, { done: 48 });
    job = report(job, { step: 's9' }, { done: 12, total: 48 });
    const expected = (weights.slice(0, 9).reduce((a, b) => a + b) + 3 * 0.25) / weights.reduce((a, b) => a + b);
    expect(job.percent).toBeCloseTo(expected * 100);
    expect(job).toMatchObject({ done: 12, total: 48, currentStep: 's9' });
  });

  it('a total declared for the whole job keeps counting the whole job across steps, and when it changes', () => {
    let job = report(jobWith({ total: 200, unit: 'rows', steps: [...declared(1, 1)] }), { step: 's0', done: 50 });
    expect(job).toMatchObject({ percent: 25, done: 50, total: 200 });
    job = report(job, { step: 's1', done: 150 });
    expect(job).toMatchObject({ percent: 75, done: 150, total: 200 });
    job = report(job, { done: 200, total: 250 });
    expect(job).toMatchObject({ percent: 80, total: 250 });
    expect(job.steps.every((step) => step.total === undefined)).toBe(true);
  });

  it('a total reported inside a step counts that step, and the next step starts a fresh count', () => {
    let job = report(jobWith({ steps: declared(1, 1) }), { step: 's0', done: 48, total: 48 });
    expect(job.percent).toBe(50);
    job = report(job, { step: 's1' });
    expect(job).toMatchObject({ done: 0, total: null, percent: 50 });
    job = report(job, { done: 12, total: 48 });
    expect(job.percent).toBeCloseTo(62.5);
  });

  it('step changes are durable events; an unknown step is appended without taking a share of the plan', () => {
    const job = report(jobWith({ status: 'running', steps: declared(1, 1) }), { step: 's0' });
    const plan = applyProgress(job, { step: 'upload' }, 5);
    expect(plan.events.filter((e) => e.kind === 'step')).toEqual([
      { kind: 'step', name: 's0', status: 'done' },
      { kind: 'step', name: 'upload', status: 'running' },
    ]);
    expect(plan.patch.steps?.map((s) => [s.name, s.weight, s.status])).toEqual([['s0', 1, 'done'], ['s1', 1, 'pending'], ['upload', 0, 'running']]);
    expect(plan.patch.percent).toBe(50);
  });

  it('a job has at most MAX_STEPS steps: one more reported step is refused, the existing ones still run', () => {
    const full = jobWith({ status: 'running', steps: declared(...Array.from({ length: MAX_STEPS }, () => 1)) });
    expect(() => applyProgress(full, { step: 'one-more' }, 5)).toThrow(/already has 200 steps, the most a job may have/);
    expect(applyProgress(full, { step: `s${MAX_STEPS - 1}` }, 5).patch.currentStep).toBe(`s${MAX_STEPS - 1}`);
  });

  it('jumping ahead to a declared step passes over the pending ones before it as skipped', () => {
    const plan = applyProgress(jobWith({ steps: declared(1, 1, 2) }), { step: 's2' }, 5);
    expect(plan.events.filter((e) => e.kind === 'step')).toEqual([
      { kind: 'step', name: 's0', status: 'skipped' },
      { kind: 'step', name: 's1', status: 'skipped' },
      { kind: 'step', name: 's2', status: 'running' },
    ]);
    expect(plan.patch.percent).toBe(50);
  });

  it('steps that appear only as reported leave the percent to the units', () => {
    const job = report(jobWith({ unit: 'rows' }), { step: 'Parse' }, { step: 'Import', done: 2_000, total: 200_000 }, { done: 100_000 });
    expect(job.percent).toBe(50);
    expect(report(job, { done: 200_000 }, { step: 'Verify' }).percent).toBe(100);
  });

  it('reporting the same step again is not a step change', () => {
    const job = report(jobWith({ steps: declared(1) }), { step: 's0' });
    expect(applyProgress(job, { step: 's0', done: 3, total: 4 }, 9).events.filter((e) => e.kind === 'step')).toEqual([]);
  });

  it('percent never goes down unless the report says reset, and is clamped to 0–100', () => {
    const job = jobWith({ percent: 60, total: 100, done: 60 });
    expect(applyProgress(job, { done: 40 }, 1).patch.percent).toBe(60);
    expect(applyProgress(job, { done: 40, reset: true }, 1).patch.percent).toBe(40);
    expect(applyProgress(job, { percent: 100 }, 1).patch.percent).toBe(100);
    expect(percentOf({ steps: [], currentStep: null, done: 0, total: null, percent: 12 })).toBe(12);
  });

  it('each milestone fires once, in order, and is remembered', () => {
    const job = jobWith({ total: 100 });
    const first = applyProgress(job, { done: 55 }, 1, [50, 25, 75]);
    expect(first.events).toEqual([{ kind: 'milestone', percent: 25 }, { kind: 'milestone', percent: 50 }]);
    expect(first.patch.milestones).toEqual([25, 50]);
    const again = applyProgress({ ...job, ...first.patch }, { done: 60 }, 2);
    expect(again.events).toEqual([]);
    const reset = applyProgress({ ...job, ...first.patch }, { done: 10, reset: true }, 3);
    expect(applyProgress({ ...job, ...first.patch, ...reset.patch }, { done: 55 }, 4).events).toEqual([]);
  });

  it('message, unit and custom metrics are kept; metrics merge', () => {
    const job = report(jobWith(), { message: 'warming up', unit: 'MB', metrics: { bytes: 10 } }, { metrics: { tokens: 3 } });
    expect(job).toMatchObject({ message: 'warming up', unit: 'MB', metrics: { custom: { bytes: 10, tokens: 3 } } });
  });

  it('bad numbers are rejected with a message that says what to fix', () => {
    const reject = (job: JobRecord, input: ProgressInput) => expect(() => applyProgress(job, input, 1)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    reject(jobWith({ total: 10 }), { done: 11 });
    reject(jobWith(), { done: Number.NaN });
    reject(jobWith(), { total: -1 });
    reject(jobWith(), { percent: 120 });
    reject(jobWith(), { step: ' ' });
    reject(jobWith(), { metrics: { bytes: Number.POSITIVE_INFINITY } });
    expect(() => applyProgress(jobWith({ total: 10 }), { done: 11 }, 1)).toThrow('"done" (11) exceeds "total" (10); send the new total with the report, or a done within it (report for job job-1)');
    expect(() => applyProgress(jobWith(), { done: Number.NaN }, 1)).toThrow(/"done" must be a finite number ≥ 0, got NaN/);
  });

  it('a new total and a larger done may arrive in the same report', () => {
    expect(applyProgress(jobWith({ total: 10, done: 10 }), { done: 15, total: 20 }, 1).patch.percent).toBe(75);
  });
});

describe('progress: the activity key of updatedAt listings', () => {
  it('moves activeAt only once the stored one is ACTIVITY_RESOLUTION_MS old, while updatedAt is exact', () => {
    const job = jobWith({ status: 'running', total: 100, updatedAt: 10_000, activeAt: 10_000 });
    const soon = applyProgress(job, { done: 1 }, 10_000 + ACTIVITY_RESOLUTION_MS - 1).patch;
    expect(soon).toMatchObject({ updatedAt: 10_000 + ACTIVITY_RESOLUTION_MS - 1 });
    expect(soon.activeAt).toBeUndefined();
    expect(applyProgress(job, { done: 2 }, 10_000 + ACTIVITY_RESOLUTION_MS).patch).toMatchObject({ activeAt: 10_000 + ACTIVITY_RESOLUTION_MS });
  });
});
