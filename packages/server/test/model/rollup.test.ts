import { describe, expect, it } from 'vitest';
import { planRollup } from '../../src/model/rollup.js';
import type { ChildSummary } from '../../src/store/store.js';
import { jobWith } from './job.js';

const summary = (counts: Partial<ChildSummary['counts']>, weightedPercent: number): ChildSummary => {
  const full = { pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0, ...counts };
  const total = full.pending + full.running + full.paused + full.completed + full.failed + full.cancelled;
  return { counts: { total, ...full }, weightedPercent };
};

describe('batch roll-up from children', () => {
  it('a running child starts the parent; percent and counts come from the children', () => {
    const plan = planRollup(jobWith(), summary({ running: 1, pending: 2 }, 20), 9);
    expect(plan.patch).toMatchObject({ status: 'running', control: 'run', startedAt: 9, percent: 20, counts: { total: 3, running: 1, pending: 2 }, message: '0 of 3 done' });
    expect(plan.events).toEqual([{ kind: 'transition', from: 'queued', to: 'running', reason: 'children' }]);
  });

  it('progress alone changes no status and records no event', () => {
    const plan = planRollup(jobWith({ status: 'running', percent: 10 }), summary({ running: 2, completed: 1 }, 45), 9);
    expect(plan.events).toEqual([]);
    expect(plan.patch).toEqual({ counts: expect.objectContaining({ total: 3 }), percent: 45, message: '1 of 3 done' });
  });

  it('the parent percent never goes down (a retried child starts again at 0)', () => {
    expect(planRollup(jobWith({ status: 'running', percent: 60 }), summary({ running: 3 }, 40), 9).patch.percent).toBe(60);
  });

  it('every child final with some failures: the batch completes at 100 % and says how many failed', () => {
    const plan = planRollup(jobWith({ status: 'running', percent: 90 }), summary({ completed: 287, failed: 13 }, 96), 9);
    expect(plan.patch).toMatchObject({ status: 'completed', percent: 100, finishedAt: 9, message: '287 of 300 done, 13 failed' });
  });

  it('every child failed: the batch fails; every child cancelled: the batch is cancelled', () => {
    expect(planRollup(jobWith({ status: 'running' }), summary({ failed: 2 }, 30), 9).patch.status).toBe('failed');
    expect(planRollup(jobWith({ status: 'running' }), summary({ cancelled: 2, failed: 0 }, 30), 9).patch.status).toBe('cancelled');
    expect(planRollup(jobWith({ status: 'running' }), summary({ failed: 1, cancelled: 1 }, 30), 9).patch).toMatchObject({ status: 'failed', message: '0 of 2 done, 1 failed, 1 cancelled' });
  });

  it('a batch asked to cancel ends cancelled once its children are final, even if some completed', () => {
    expect(planRollup(jobWith({ status: 'running', control: 'cancel' }), summary({ completed: 2, cancelled: 3 }, 70), 9).patch.status).toBe('cancelled');
  });

  it('every unfinished child paused: the batch is paused, and time paused is counted once it moves on', () => {
    const paused = planRollup(jobWith({ status: 'running' }), summary({ paused: 2, completed: 1 }, 50), 9);
    expect(paused.patch).toMatchObject({ status: 'paused', pausedAt: 9 });
    const parent = jobWith({ status: 'paused', pausedAt: 9, pausedMs: 100 });
    const resumed = planRollup(parent, summary({ running: 1, paused: 1, completed: 1 }, 55), 1_009);
    expect(resumed.patch).toMatchObject({ status: 'running', pausedMs: 1_100, pausedAt: null });
  });

  it('a batch paused by hand stays paused while its children are paused one by one', () => {
    const parent = jobWith({ status: 'paused', control: 'pause', pausedAt: 5 });
    expect(planRollup(parent, summary({ pending: 3, paused: 2 }, 10), 9).events).toEqual([]);
    const byChildren = jobWith({ status: 'paused', control: 'run', pausedAt: 5 });
    expect(planRollup(byChildren, summary({ pending: 3, paused: 2 }, 10), 9).patch.status).toBe('queued');
  });

  it('a failed batch whose children are retried opens again through the queue', () => {
    const failed = jobWith({ status: 'failed', finishedAt: 5, error: { message: 'x', code: null, attempt: 1, at: 5 } });
    const plan = planRollup(failed, summary({ running: 1, completed: 9 }, 95), 9);
    expect(plan.patch).toMatchObject({ status: 'running', finishedAt: null, error: null, control: 'run' });
    expect(plan.events).toEqual([
      { kind: 'transition', from: 'failed', to: 'queued', reason: 'children' },
      { kind: 'transition', from: 'queued', to: 'running', reason: 'children' },
    ]);
  });

  it('a completed batch, or one cancelled by hand, is not reopened; its counts still follow', () => {
    const completed = planRollup(jobWith({ status: 'completed', percent: 100 }), summary({ pending: 1, completed: 9 }, 95), 9);
    expect(completed.events).toEqual([]);
    expect(completed.patch).toMatchObject({ counts: { pending: 1 }, percent: 100 });
    expect(planRollup(jobWith({ status: 'cancelled', control: 'cancel' }), summary({ pending: 2, cancelled: 1 }, 0), 9).events).toEqual([]);
  });

  it('a roll-up that would write what the parent already holds is empty, finished or not', () => {
    const counts = { total: 2, pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 2 };
    const cancelled = jobWith({ status: 'cancelled', control: 'cancel', counts, message: '0 of 2 done, 2 cancelled' });
    expect(planRollup(cancelled, summary({ cancelled: 2 }, 0), 9)).toEqual({ patch: {}, events: [] });
    const running = jobWith({ status: 'running', percent: 40, counts: { ...counts, cancelled: 0, running: 2 }, message: '0 of 2 done' });
    expect(planRollup(running, summary({ running: 2 }, 40), 9)).toEqual({ patch: {}, events: [] });
    expect(planRollup(running, summary({ running: 2 }, 45), 9).patch).toMatchObject({ percent: 45 });
  });

  it('a parent without children is left alone', () => {
    expect(planRollup(jobWith(), summary({}, 0), 9)).toEqual({ patch: {}, events: [] });
  });
});

describe('batch milestones', () => {
  it('records each milestone the rolled-up percent reaches, once, after the transition that came with it', () => {
    const plan = planRollup(jobWith({ status: 'queued', percent: 0 }), summary({ running: 1, completed: 1, pending: 2 }, 55), 9, [25, 50, 75]);
    expect(plan.events).toEqual([
      { kind: 'transition', from: 'queued', to: 'running', reason: 'children' },
      { kind: 'milestone', percent: 25 },
      { kind: 'milestone', percent: 50 },
    ]);
    expect(plan.patch.milestones).toEqual([25, 50]);
    const again = planRollup(jobWith({ status: 'running', percent: 55, milestones: [25, 50] }), summary({ running: 1, completed: 2, pending: 1 }, 60), 9, [25, 50, 75]);
    expect(again.events).toEqual([]);
  });

  it('records none when the batch finishes: its completion says it', () => {
    const plan = planRollup(jobWith({ status: 'running', percent: 60, milestones: [25, 50] }), summary({ completed: 4 }, 100), 9, [25, 50, 75]);
    expect(plan.events).toEqual([{ kind: 'transition', from: 'running', to: 'completed', reason: 'children' }]);
    expect(plan.patch.milestones).toBeUndefined();
  });
});
