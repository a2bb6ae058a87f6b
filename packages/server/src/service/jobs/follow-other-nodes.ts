import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { Store } from '../../store/store.js';
import type { LiveJobs } from './live-jobs.js';
import { mergeDurable } from './progress-fields.js';

/**
 * With several nodes, another node may change a job this node caches (a cancel asked through
 * node B of a job reporting to node A). Its event arrives on the bus with a seq the cache has
 * not reached: reload the durable state, so the next progress answer here carries the new
 * control intent and a finished job leaves the cache. This node's own events never trigger
 * it: the cache is updated before they are published.
 */
export function followOtherNodes(bus: Bus, live: LiveJobs, store: Store, logger: Logger): () => void {
  return bus.subscribe((message) => {
    if (message.type !== 'event') return;
    const id = message.event.jobId;
    const cached = live.get(id);
    if (!cached || message.event.seq <= cached.record.seq) return;
    void store.jobs
      .get(id)
      .then((stored) => {
        const entry = live.get(id);
        // A local change may have landed meanwhile: only ever move the cache forward.
        if (!entry || !stored || stored.seq <= entry.record.seq) return;
        entry.record = mergeDurable(entry.record, stored);
        live.evictIfFinished(id);
      })
      .catch((err: unknown) => logger.error({ err, jobId: id }, 'live:refresh from another node failed; the next change here reloads it'));
  });
}
