import { FINAL_STATUSES } from '@headway/protocol';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import { planRollup } from '../../model/rollup.js';
import { progressShapeOf } from '../../store/progress-fields.js';
import type { ChildSummary, Store } from '../../store/store.js';
import type { JobCommitter } from './job-committer.js';
import type { LiveJob, LiveJobs } from './live-jobs.js';
import type { ProgressInterest } from './progress-interest.js';
import { progressUpdateOf } from './progress-announcer.js';

export interface ParentRollupDeps {
  store: Store;
  bus: Bus;
  live: LiveJobs;
  committer: JobCommitter;
  logger: Logger;
  now: () => number;
  interest: ProgressInterest;
  /** The percents at which a job of this type records a milestone (and a batch too). */
  milestonePercents: (type: string) => number[];
}

/**
 * Recomputes the roll-up (model/rollup.ts) of the parents whose children changed. One that moves
 * a parent's status is a durable change. One that only moves its counts, percent or message is
 * progress: an unfinished parent takes it in its cache entry like a tick, for the flusher to write
 * and the announcer to publish; a finished parent's is stored at once (the cache lets finished jobs
 * go, and nothing would write or announce it there), as a change without an event, and announced here.
 */
export async function rollUpParents(deps: ParentRollupDeps): Promise<void> {
  const parents = [...deps.live.dirtyParents];
  deps.live.dirtyParents.clear();
  for (const parentId of parents) {
    try {
      await rollUpParent(deps, parentId);
    } catch (error) {
      deps.logger.error({ err: error, parentId }, 'rollup:failed; will retry at the next change');
    }
  }
}

async function rollUpParent(deps: ParentRollupDeps, parentId: string): Promise<void> {
  const { store, live, committer, now } = deps;
  const summary = await store.jobs.childSummary(parentId);
  let storedAsProgress = false;
  let moved = false;
  let movedWithoutEvent = false;
  const { record } = await committer.change(parentId, (parent) => {
    const plan = planRollup(parent, summary, now(), deps.milestonePercents(parent.type));
    moved = Object.keys(plan.patch).length > 0;
    movedWithoutEvent = plan.events.length === 0 && moved;
    const entry = live.get(parentId);
    // A finished parent may still be cached until the next flush evicts it, and the announcer
    // skips an evicted entry: its change is stored by the committer, without an event, either way.
    const finished = FINAL_STATUSES.includes(parent.status);
    storedAsProgress = plan.events.length === 0 && (finished || entry === undefined) && Object.keys(plan.patch).length > 0;
    if (plan.events.length > 0 || finished || !entry) return plan;
    if (Object.keys(plan.patch).length > 0) {
      Object.assign(entry.record, plan.patch);
      entry.unflushed |= progressShapeOf(plan.patch);
      live.touchEntry(entry);
    }
    return null;
  });
  const cached = live.get(parentId);
  if (moved && cached?.record.status === 'running') observeRollup(cached, summary.counts, now());
  if (storedAsProgress && deps.interest.wants(record.id, record.owner)) deps.bus.publish({ type: 'progress', owner: record.owner, parentId: record.parentId, update: progressUpdateOf(record, now()) });
  // A batch inside a batch: its own parent follows at the next pass (a status change marks it after commit).
  if (movedWithoutEvent && record.parentId) live.dirtyParents.add(record.parentId);
}


/**
 * A running batch's ETA and rate come from its roll-up, as a job's come from its reports: the
 * weighted percent feeds the ETA, and the children finished (completed, failed or cancelled) feed
 * the rate, unless the batch counts units of its own (a `total` it reports against).
 */
function observeRollup(entry: LiveJob, counts: ChildSummary['counts'], at: number): void {
  entry.eta.observe(at, entry.record.percent / 100);
  if (entry.record.total === null) entry.rate.observe(at, counts.completed + counts.failed + counts.cancelled);
}
