import type { ChildSummary } from '../store/store.js';
import type { JobRecord } from './job-record.js';
import type { TransitionPlan } from './transitions.js';

/**
 * A parent's state from its children: weighted percent (monotone), counts, a summary message,
 * and its status — running once a child runs, paused when every unfinished child is paused,
 * final when every child is final (completed if any completed, else failed, else cancelled;
 * cancelled whenever the parent itself was asked to cancel).
 */
export function planRollup(parent: JobRecord, summary: ChildSummary, now: number): TransitionPlan {
  const c = summary.counts;
  if (c.total === 0) return { patch: {}, events: [] };
  const finished = c.completed + c.failed + c.cancelled;
  const patch: TransitionPlan['patch'] = {
    counts: c,
    percent: Math.max(parent.percent, Math.min(100, summary.weightedPercent)),
    message: `${c.completed} of ${c.total} done${c.failed ? `, ${c.failed} failed` : ''}${c.cancelled ? `, ${c.cancelled} cancelled` : ''}`,
  };
  const target = targetStatus(parent, c, finished);
  if (!target || target === parent.status || isFinal(parent.status)) return { patch, events: [] };
  if (target === 'running') patch.startedAt = parent.startedAt ?? now;
  if (target === 'paused') patch.pausedAt = now;
  if (parent.status === 'paused' && parent.pausedAt !== null) {
    patch.pausedMs = parent.pausedMs + Math.max(0, now - parent.pausedAt);
    patch.pausedAt = null;
  }
  if (isFinal(target)) patch.finishedAt = now;
  if (target === 'running' || target === 'queued') patch.control = parent.control === 'cancel' ? 'cancel' : 'run';
  return { patch: { ...patch, status: target, updatedAt: now }, events: [{ kind: 'transition', from: parent.status, to: target, reason: 'children' }] };
}

function targetStatus(parent: JobRecord, c: ChildSummary['counts'], finished: number): JobRecord['status'] | null {
  if (finished === c.total) {
    if (parent.control === 'cancel') return 'cancelled';
    return c.completed > 0 ? 'completed' : c.failed > 0 ? 'failed' : 'cancelled';
  }
  if (c.running > 0) return 'running';
  const unfinished = c.total - finished;
  if (c.paused === unfinished) return 'paused';
  if (c.pending === unfinished && parent.status === 'paused') return 'queued';
  return parent.status === 'queued' && finished > 0 ? 'running' : null;
}

function isFinal(status: JobRecord['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
