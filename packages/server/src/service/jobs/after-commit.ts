import { FINAL_STATUSES } from '@headway/protocol';
import type { Committed } from './job-committer.js';
import type { LiveJobs } from './live-jobs.js';
import type { JobRecord } from '../../model/job-record.js';

/**
 * What follows a stored change: the parent's roll-up is due, the ETA clock stops while the
 * job is paused (paused time is not work time), and finished jobs leave the cache.
 */
export function afterCommit(live: LiveJobs, now: () => number) {
  return ({ record, events }: Committed, previous: JobRecord): void => {
    if (record.parentId && events.length > 0) live.dirtyParents.add(record.parentId);
    const entry = live.get(record.id);
    if (entry && record.status !== previous.status) {
      entry.etaComputedAt = -Infinity; // an estimate made in the old status is stale at once
      if (record.status === 'paused' || record.status === 'queued') entry.eta.pause(now());
      if (record.status === 'running') {
        entry.eta.resume(now());
        live.touch(record.id); // announce a first ETA (the prior) before any progress
      }
    }
    if (FINAL_STATUSES.includes(record.status)) live.evictIfFinished(record.id);
  };
}
