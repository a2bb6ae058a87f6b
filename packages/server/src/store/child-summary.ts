import type { JobStatus } from '@headway/protocol';
import type { ChildSummary } from './store.js';

/** One group of a parent's children as both dialects' childSummary query returns it. */
export interface ChildStatusGroup {
  status: JobStatus;
  n: number;
  weight: number;
  weighted: number;
}

/** Counts by status (queued counts as pending) and the weighted percent, clamped to 0..100. */
export function summarizeChildren(groups: readonly ChildStatusGroup[]): ChildSummary {
  const counts: ChildSummary['counts'] = { total: 0, pending: 0, running: 0, paused: 0, completed: 0, failed: 0, cancelled: 0 };
  let weight = 0;
  let weighted = 0;
  for (const group of groups) {
    counts[group.status === 'queued' ? 'pending' : group.status] += group.n;
    counts.total += group.n;
    weight += group.weight;
    weighted += group.weighted;
  }
  return { counts, weightedPercent: weight > 0 ? Math.min(100, Math.max(0, weighted / weight)) : 0 };
}
