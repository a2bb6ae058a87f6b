import type { ProgressBody } from '@headway/protocol';

/**
 * Rules of the reporter's outbox (no I/O, no clock): how reports for one job merge while they
 * wait, which ones go out at once, and when a throttled one may go.
 */

/**
 * Merges `patch` into the waiting segments, in place (a backlog of thousands of steps is merged
 * tick by tick). Ticks coalesce (newest wins); a step change or a reset starts a new segment, so
 * the server sees every step in order and the last values of a step are sent before the next
 * one starts, credited to the step they were reported in.
 */
export function mergeReport(segments: ProgressBody[], patch: ProgressBody): void {
  const last = segments[segments.length - 1];
  if (!last || patch.reset === true || (patch.step !== undefined && patch.step !== last.step)) {
    segments.push({ ...patch });
    return;
  }
  const metrics = last.metrics || patch.metrics ? { ...last.metrics, ...patch.metrics } : undefined;
  Object.assign(last, patch);
  if (metrics) last.metrics = metrics;
}

/** Step changes and the final value are sent at once; plain ticks wait for the throttle. */
export function isUrgent(patch: ProgressBody): boolean {
  if (patch.step !== undefined || patch.reset === true) return true;
  if (patch.percent !== undefined && patch.percent >= 100) return true;
  return patch.done !== undefined && patch.total !== undefined && patch.total > 0 && patch.done >= patch.total;
}

/** Earliest time the job's next report may be sent: at most one every `throttleMs`. */
export function sendDueAt(lastSentAt: number | null, throttleMs: number, urgent: boolean, now: number): number {
  if (urgent || lastSentAt === null) return now;
  return Math.max(now, lastSentAt + throttleMs);
}
