import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Headway } from '../../headway.js';
import { requireKeysAdmin } from '../auth/request-actor.js';
import { SystemSampler } from '../system/system-sampler.js';
import { answer, authenticatedAnswers } from './answers.js';
import { bearer } from './schemas.js';

const Count = Type.Integer({ minimum: 0 });

const SystemAnswer = Type.Object({
  nodeId: Type.String(),
  uptimeMs: Type.Integer({ description: "this process's server, in real elapsed time" }),
  jobs: Type.Object({ queued: Count, running: Count, paused: Count }, { description: 'unfinished jobs in the store (all nodes)' }),
  handlersRunning: Type.Record(Type.String(), Count, { description: 'in-process handlers running on this node, per job type' }),
  reportsPerSec: Type.Number({ description: 'over the last 5 s window' }),
  eventsPerSec: Type.Number(),
  liveConnections: Count,
  eventLoop: Type.Object({ delayP50Ms: Type.Number(), delayP99Ms: Type.Number(), delayMaxMs: Type.Number() }),
  memory: Type.Object({ rssBytes: Count, heapUsedBytes: Count, heapTotalBytes: Count, externalBytes: Count }),
  totals: Type.Object({ reportsAccepted: Count, eventsPublished: Count, flushes: Count }, { description: 'since this node started' }),
});

/** The node's vital signs for the dashboard's system view (admin). Names carry their units. */
export async function systemRoutes(app: FastifyInstance, headway: Headway): Promise<void> {
  const sampler = new SystemSampler(headway.stats);
  // Uptime is real elapsed time of this process's server, not a point on the node's (injectable)
  // clock: a test clock that stands still or jumps would make it meaningless.
  const startedAt = Date.now();
  sampler.start();
  app.addHook('onClose', async () => sampler.stop());

  const schema = {
    tags: ['system'],
    summary: 'Node status: job counts, rates, memory, event-loop delay, live connections',
    security: bearer,
    response: authenticatedAnswers({ 200: answer("This node's status (the admin key, or a key with keys:admin)", SystemAnswer) }, []),
  };
  app.get('/v1/system', { schema }, async (request) => {
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
