import type { JobEventData, JobStatus } from '@headway/protocol';
import type { ChildSummary, JobPatch } from '../store/store.js';
import type { JobRecord } from './job-record.js';
import { milestonesReached } from './progress.js';
import type { TransitionPlan } from './transitions.js';

type Counts = ChildSummary['counts'];

/**
 * A parent's state from its children: weighted percent (monotone; 100 once the batch
 * completes), counts, a summary message ("287 of 300 done, 13 failed"), and its status:
 * - running once a child runs (or has finished while others wait);
 * - paused when every unfinished child is paused, queued again when they are all resumed;
 * - final when every child is final: cancelled if the parent was asked to cancel, else
 *   completed if any child completed, else failed if any failed, else cancelled;
 * - a batch paused by hand stays paused until it is resumed or one of its children runs;
 * - a failed batch, or one cancelled by its children, whose children are retried opens again
 *   (the retry edge `failed | cancelled → queued`); a completed batch stays completed, its
 *   counts still follow.
 * An unfinished batch whose percent reaches one of `milestonePercents` records it, as a job
 * reporting that far does (and notifies the same way).
 * The patch is empty when there is nothing to change: no children, or no transition and the
 * same counts, percent and message (a finished parent's roll-up is a store write each time).
 */
export function planRollup(parent: JobRecord, summary: ChildSummary, now: number, milestonePercents: readonly number[] = []): TransitionPlan {
  const c = summary.counts;
  if (c.total === 0) return { patch: {}, events: [] };
  const finished = c.completed + c.failed + c.cancelled;
  const patch: JobPatch = {
    counts: { ...c },
    percent: Math.max(parent.percent, Math.min(100, Math.max(0, summary.weightedPercent))),
    message: messageOf(c),
  };
  const path = statusPath(parent, c, finished);
  // Not when the batch finishes: its completion says it, and a percent jumping to 100 would add them all.
  const reached = finished < c.total && !isFinal(parent.status) ? milestonesReached(parent.milestones, milestonePercents, patch.percent!) : [];
  const milestones: JobEventData[] = reached.map((percent) => ({ kind: 'milestone', percent }));
  if (reached.length > 0) patch.milestones = [...parent.milestones, ...reached];
  if (path.length === 0) {
    if (reached.length > 0) return { patch, events: milestones };
    return { patch: leavesAsIs(parent, c, patch) ? {} : patch, events: [] };
  }
  const target = path[path.length - 1]!;
  if (parent.status === 'paused' && parent.pausedAt !== null) {
    patch.pausedMs = parent.pausedMs + Math.max(0, now - parent.pausedAt);
    patch.pausedAt = null;
  }
  if (isFinal(parent.status)) Object.assign(patch, { finishedAt: null, error: null, result: null, control: 'run' } satisfies JobPatch);
  if (target === 'running' || target === 'queued') patch.control = parent.control === 'cancel' ? 'cancel' : 'run';
  if (target === 'running') patch.startedAt = parent.startedAt ?? now;
  if (target === 'paused') patch.pausedAt = now;
  if (target === 'completed') patch.percent = 100;
  if (isFinal(target)) patch.finishedAt = now;
  const events: JobEventData[] = [];
  let from = parent.status;
  for (const to of path) {
    events.push({ kind: 'transition', from, to, reason: 'children' });
    from = to;
  }
  events.push(...milestones);
  return { patch: { ...patch, status: target, updatedAt: now }, events };
}

/** The transitions the parent takes (usually none or one; two when a finished batch reopens with a child running). */
function statusPath(parent: JobRecord, c: Counts, finished: number): JobStatus[] {
  const unfinished = c.total - finished;
  if (isFinal(parent.status)) {
    // A batch cancelled by hand is not reopened by its children still being cancelled one by one.
    if (parent.status === 'completed' || parent.control === 'cancel' || unfinished === 0) return [];
    return c.running > 0 ? ['queued', 'running'] : ['queued'];
  }
  const target = targetStatus(parent, c, unfinished);
  return target === null || target === parent.status ? [] : [target];
}

function targetStatus(parent: JobRecord, c: Counts, unfinished: number): JobStatus | null {
  if (unfinished === 0) {
    if (parent.control === 'cancel') return 'cancelled';
    return c.completed > 0 ? 'completed' : c.failed > 0 ? 'failed' : 'cancelled';
  }
  if (c.running > 0) return 'running';
  if (c.paused === unfinished) return 'paused';
  // Paused by its children (not by hand) and some of them resumed: back in the queue.
  if (parent.status === 'paused' && parent.control !== 'pause') return 'queued';
  return parent.status === 'queued' && c.total > unfinished ? 'running' : null;
}

/** Whether a roll-up without a transition would write what the parent already holds. */
function leavesAsIs(parent: JobRecord, c: Counts, patch: JobPatch): boolean {
  const known = parent.counts;
  const sameCounts = known !== null && (Object.keys(c) as Array<keyof Counts>).every((key) => known[key] === c[key]);
  return sameCounts && patch.percent === parent.percent && patch.message === parent.message;
}

function messageOf(c: Counts): string {
  const parts = [`${c.completed} of ${c.total} done`];
  if (c.failed > 0) parts.push(`${c.failed} failed`);
  if (c.cancelled > 0) parts.push(`${c.cancelled} cancelled`);
  return parts.join(', ');
}

function isFinal(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
