import type { ProgressBody } from '@headway/protocol';

/**
 * Pure rules of the reporter's outbox: how reports for one job merge while they wait, which
 * ones go out at once, and when a throttled one may go.
 */

/** Merges `patch` into the waiting segments. Ticks coalesce (newest wins); a step change or a
 * reset starts a new segment so the server still sees every step, in order. */
export function mergeReport(segments: readonly ProgressBody[], patch: ProgressBody): ProgressBody[] {
  const last = segments[segments.length - 1];
  const boundary = !last || patch.reset === true || (patch.step !== undefined && last.step !== undefined && last.step !== patch.step);
  if (boundary) return [...segments, { ...patch }];
  const merged: ProgressBody = { ...last, ...patch };
  if (last.metrics || patch.metrics) merged.metrics = { ...last.metrics, ...patch.metrics };
  return [...segments.slice(0, -1), merged];
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
