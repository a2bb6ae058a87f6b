import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireKeysAdmin } from '../auth/request-actor.js';
import { SystemSampler } from '../system/system-sampler.js';
import { bearer } from './schemas.js';

/** The node's vital signs for the dashboard's system view (admin). Names carry their units. */
export async function systemRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const sampler = new SystemSampler(headway.stats);
  // Uptime is real elapsed time of this process's server, not a point on the node's (injectable)
  // clock: a test clock that stands still or jumps would make it meaningless.
  const startedAt = Date.now();
  sampler.start();
  app.addHook('onClose', async () => sampler.stop());

  app.get('/v1/system', { schema: { tags: ['system'], summary: 'Node status: job counts, rates, memory, event-loop delay, live connections', security: bearer } }, async (request) => {
    requireKeysAdmin(request);
    const active = await headway.store.analytics.activeCounts();
    const jobs = active.reduce((sum, row) => ({ queued: sum.queued + row.queued, running: sum.running + row.running, paused: sum.paused + row.paused }), { queued: 0, running: 0, paused: 0 });
    const memory = process.memoryUsage();
    const sample = sampler.current();
    return {
      nodeId: headway.nodeId,
      uptimeMs: Date.now() - startedAt,
      jobs,
      handlersRunning: headway.runtime.running(),
      reportsPerSec: sample.reportsPerSec,
      eventsPerSec: sample.eventsPerSec,
      liveConnections: headway.stats.liveConnections,
      eventLoop: sample.eventLoop,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external },
      totals: { reportsAccepted: headway.stats.reportsAccepted, eventsPublished: headway.stats.eventsPublished, flushes: headway.stats.flushes },
    };
  });
}
