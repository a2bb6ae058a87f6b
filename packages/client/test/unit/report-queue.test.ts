import { describe, expect, it } from 'vitest';
import { isUrgent, mergeReport, sendDueAt } from '../../src/reporter/report-queue.js';

describe('report queue rules (merge, urgency, throttle)', () => {
  it('plain ticks coalesce to the newest values, metrics merge by key', () => {
    let segments = mergeReport([], { done: 1, total: 10, metrics: { bytes: 5 } });
    segments = mergeReport(segments, { done: 2, message: 'copying' });
    segments = mergeReport(segments, { done: 3, metrics: { errors: 1 } });
    expect(segments).toEqual([{ done: 3, total: 10, message: 'copying', metrics: { bytes: 5, errors: 1 } }]);
  });

  it('a new step starts a new segment so no step is lost while a request is in flight', () => {
    let segments = mergeReport([], { step: 'download' });
    segments = mergeReport(segments, { done: 5 });
    segments = mergeReport(segments, { step: 'encode' });
    segments = mergeReport(segments, { done: 6 });
    expect(segments).toEqual([{ step: 'download', done: 5 }, { step: 'encode', done: 6 }]);
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
