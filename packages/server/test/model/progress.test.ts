import { describe, expect, it } from 'vitest';
import type { ChildSummary } from '../../src/store/store.js';
import { applyProgress } from '../../src/model/progress.js';
import { planRollup } from '../../src/model/rollup.js';
import { jobWith } from './job.js';

const steps = (weights: number[]) => weights.map((weight, i) => ({ name: `s${i}`, weight, status: 'pending' as const, startedAt: null, endedAt: null }));

describe('progress', () => {
  it('percent follows units done/total and is clamped', () => {
    const plan = applyProgress(jobWith({ total: 200 }), { done: 50 }, 1);
    expect(plan.patch.percent).toBe(25);
  });

  it('weighted steps: finished steps count whole, the current one by its units', () => {
    let job = jobWith({ status: 'running', steps: steps([1, 3]) });
    job = { ...job, ...applyProgress(job, { step: 's0' }, 1).patch };
    job = { ...job, ...applyProgress(job, { step: 's1', done: 1, total: 2 }, 2).patch };
    // s0 (weight 1) done, s1 (weight 3) half: (1 + 1.5) / 4
    expect(job.percent).toBeCloseTo(62.5);
    expect(job.steps.map((s) => s.status)).toEqual(['done', 'running']);
  });

  it('step changes are durable events; unknown steps are appended', () => {
    const job = jobWith({ status: 'running', steps: steps([1]), currentStep: 's0' });
    job.steps[0]!.status = 'running';
    const plan = applyProgress(job, { step: 'upload' }, 5);
    expect(plan.events.filter((e) => e.kind === 'step')).toEqual([
      { kind: 'step', name: 's0', status: 'done' },
      { kind: 'step', name: 'upload', status: 'running' },
    ]);
    expect(plan.patch.steps?.map((s) => s.name)).toEqual(['s0', 'upload']);
  });

  it('percent never goes down unless the report says reset', () => {
    const job = jobWith({ percent: 60, total: 100, done: 60 });
    expect(applyProgress(job, { done: 40 }, 1).patch.percent).toBe(60);
    expect(applyProgress(job, { done: 40, reset: true }, 1).patch.percent).toBe(40);
  });

  it('each milestone fires once', () => {
    const job = jobWith({ total: 100 });
    const first = applyProgress(job, { done: 55 }, 1);
    expect(first.events).toEqual([{ kind: 'milestone', percent: 25 }, { kind: 'milestone', percent: 50 }]);
    const again = applyProgress({ ...job, ...first.patch }, { done: 60 }, 2);
    expect(again.events).toEqual([]);
  });

  it('bad numbers are rejected with a message that says what to fix', () => {
    expect(() => applyProgress(jobWith({ total: 10 }), { done: 11 }, 1)).toThrow(/exceeds "total"/);
    expect(() => applyProgress(jobWith(), { done: Number.NaN }, 1)).toThrow(/finite number/);
    expect(() => applyProgress(jobWith(), { percent: 120 }, 1)).toThrow(/between 0 and 100/);
  });
});

describe('batch roll-up', () => {
  const summary = (counts: Partial<ChildSummary['counts']>, weightedPercent: number): ChildSummary => ({
    counts: { total: 0, pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0, ...counts },
    weightedPercent,
  });

  it('a running child starts the parent and the percent is the weighted one', () => {
    const plan = planRollup(jobWith(), summary({ total: 3, running: 1, pending: 2 }, 20), 9);
    expect(plan.patch).toMatchObject({ status: 'running', percent: 20, counts: { total: 3, running: 1 } });
    expect(plan.events).toEqual([{ kind: 'transition', from: 'queued', to: 'running', reason: 'children' }]);
  });

  it('all children final with some failures: the batch completes and says how many failed', () => {
    const plan = planRollup(jobWith({ status: 'running' }), summary({ total: 300, completed: 287, failed: 13 }, 100), 9);
    expect(plan.patch).toMatchObject({ status: 'completed', message: '287 of 300 done, 13 failed' });
  });

  it('all children failed: the batch fails; every unfinished child paused: the batch is paused', () => {
    expect(planRollup(jobWith({ status: 'running' }), summary({ total: 2, failed: 2 }, 100), 9).patch.status).toBe('failed');
    expect(planRollup(jobWith({ status: 'running' }), summary({ total: 3, paused: 2, completed: 1 }, 50), 9).patch.status).toBe('paused');
  });
});
