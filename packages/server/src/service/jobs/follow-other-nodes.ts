import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { Store } from '../../store/store.js';
import type { LiveJobs } from './live-jobs.js';
import { mergeDurable, REPORTED_BITS } from './progress-fields.js';

/**
 * With several nodes, another node may change a job this node caches (a cancel asked through
 * node B of a job reporting to node A). Its event arrives on the bus with a seq the cache has
 * not reached: reload the durable state, so the next progress answer here carries the new
 * control intent and a finished job leaves the cache. This node's own events never trigger
 * it: the cache is updated before they are published.
 *
 * A job reads the store once at a time: events that arrive while its read is in flight (a
 * burst of steps or log lines from the other node) ask for one more read after it, not one
 * each, so a busy foreign writer costs this node at most two reads per job in flight.
 */
export function followOtherNodes(bus: Bus, live: LiveJobs, store: Store, logger: Logger): () => void {
  /** Jobs being read, with the newest seq a foreign event announced for each. */
  const reading = new Map<string, number>();

  const refresh = (id: string, seq: number): void => {
    reading.set(id, seq);
    void store.jobs
      .get(id)
      .then((stored) => {
        const entry = live.get(id);
        // A local change may have landed meanwhile: only ever move the cache forward.
        if (!entry || !stored || stored.seq <= entry.record.seq) return;
        entry.record = mergeDurable(entry.record, stored, entry.unflushed);
        // Progress answered here is written under the new seq (then a finished job leaves the cache),
        // and so is any other field changed here whose write the new seq refused.
        if ((entry.unflushed & REPORTED_BITS) !== 0) live.touchEntry(entry);
        else if (entry.unflushed !== 0) live.markDirty(entry);
        live.evictIfFinished(id);
      })
      .catch((err: unknown) => logger.error({ err, jobId: id }, 'live:refresh from another node failed; the next change here reloads it'))
      .finally(() => {
        const wanted = reading.get(id)!;
        reading.delete(id);
        const entry = live.get(id);
        // An event newer than what the read found arrived meanwhile: read once more.
        if (entry && wanted > entry.record.seq) refresh(id, wanted);
      });
  };

  return bus.subscribe((message) => {
    if (message.type !== 'event') return;
    const id = message.event.jobId;
    const cached = live.get(id);
    if (!cached || message.event.seq <= cached.record.seq) return;
    const wanted = reading.get(id);
    if (wanted === undefined) refresh(id, message.event.seq);
    else if (message.event.seq > wanted) reading.set(id, message.event.seq);
  });
}
