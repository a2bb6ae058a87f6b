import { describe, expect, it } from 'vitest';
import type { ProgressBody } from '@headway/protocol';
import { isUrgent, mergeReport, sendDueAt } from '../../src/reporter/report-queue.js';

describe('report queue rules (merge, urgency, throttle)', () => {
  const merged = (...patches: ProgressBody[]) => {
    const segments: ProgressBody[] = [];
    for (const patch of patches) mergeReport(segments, patch);
    return segments;
  };

  it('plain ticks coalesce to the newest values, metrics merge by key', () => {
    expect(merged({ done: 1, total: 10, metrics: { bytes: 5 } }, { done: 2, message: 'copying' }, { done: 3, metrics: { errors: 1 } })).toEqual([
      { done: 3, total: 10, message: 'copying', metrics: { bytes: 5, errors: 1 } },
    ]);
  });

  it('a new step starts a new segment so no step is lost while a request is in flight', () => {
    expect(merged({ step: 'download' }, { done: 5 }, { step: 'encode' }, { done: 6 })).toEqual([{ step: 'download', done: 5 }, { step: 'encode', done: 6 }]);
  });

  it('ticks still waiting when the step changes go out before it, credited to the step they were reported in', () => {
    expect(merged({ done: 10, total: 100 }, { done: 90 }, { step: 'b' }, { done: 1 })).toEqual([{ done: 90, total: 100 }, { step: 'b', done: 1 }]);
    expect(merged({ step: 'a' }, { step: 'a', done: 2 })).toEqual([{ step: 'a', done: 2 }]);
  });

  it('step changes and the final value are urgent, plain ticks are not', () => {
    expect(isUrgent({ step: 'encode' })).toBe(true);
    expect(isUrgent({ done: 10, total: 10 })).toBe(true);
    expect(isUrgent({ percent: 100 })).toBe(true);
    expect(isUrgent({ done: 9, total: 10 })).toBe(false);
    expect(isUrgent({ message: 'hello' })).toBe(false);
  });

  it('at most one plain report per throttle window; urgent ones go now', () => {
    expect(sendDueAt(null, 250, false, 1_000)).toBe(1_000);
    expect(sendDueAt(900, 250, false, 1_000)).toBe(1_150);
    expect(sendDueAt(500, 250, false, 1_000)).toBe(1_000);
    expect(sendDueAt(900, 250, true, 1_000)).toBe(1_000);
  });
});
