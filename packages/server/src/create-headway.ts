import { pino, type Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AlertMonitor } from './alerts/index.js';
import type { Bus } from './bus/bus.js';
import { LocalBus } from './bus/local-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import type { Config } from './config/config.js';
import type { Headway, HeadwayStats } from './headway.js';
import { defaultBackoffMs } from './model/transitions.js';
import { createNotifier } from './notify/index.js';
import { WorkerRuntime } from './runtime/worker-runtime.js';
import { afterCommit } from './service/jobs/after-commit.js';
import { followOtherNodes } from './service/jobs/follow-other-nodes.js';
import { JobCommitter } from './service/jobs/job-committer.js';
import { JobLocks } from './service/jobs/job-locks.js';
import { JobsService } from './service/jobs/jobs-service.js';
import { ProgressInterest } from './service/jobs/progress-interest.js';
import { LiveJobs } from './service/jobs/live-jobs.js';
import { PriorDurations } from './service/jobs/prior-durations.js';
import { ProgressFlusher } from './service/jobs/progress-flusher.js';
import { JournalAdopter, ProgressJournal, replayJournal } from './service/jobs/progress-journal.js';
import { FinishedTextIndexer } from './service/finished-text-indexer.js';
import { RetentionSweeper } from './service/retention.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

export interface HeadwayOptions {
  logger?: Logger;
  /** The clock; tests inject one. */
  now?: () => number;
  /** Defaults to the store and bus the config names. */
  store?: Store;
  bus?: Bus;
  milestonePercents?: (type: string) => number[];
}

const DEFAULT_MILESTONES = [25, 50, 75];

/** Wires one Headway node from its config. Nothing runs until `start()`. */
export async function createHeadway(config: Config, options: HeadwayOptions = {}): Promise<Headway> {
  const logger = options.logger ?? pino({ level: config.logLevel, redact: ['adminKey', 'tokenSecret', 'smtp.pass', 'sms.authToken'] });
  const now = options.now ?? Date.now;
  const store = options.store ?? (await openStore(config.db, { background: { logger } }));
  await store.migrate();
  // Several nodes share events through Redis; one node needs no broker.
  const bus =
    options.bus ??
    (config.redis
      ? await createRedisBus({ url: config.redis, prefix: config.redisPrefix, onError: (err, context) => logger.error({ err }, `bus:${context} failed`) }).catch(
          async (error: unknown) => {
            await store.close();
            throw error;
          },
        )
      : new LocalBus((err) => logger.error({ err }, 'bus:listener failed')));
  const nodeId = config.nodeId ?? (store.dialect === 'sqlite' ? await store.keys.initSetting('node_id', uuidv7()) : uuidv7());
  const stats: HeadwayStats = { reportsAccepted: 0, eventsPublished: 0, flushes: 0, liveConnections: 0 };
  bus.subscribe(() => void stats.eventsPublished++);

  const priors = new PriorDurations(store, now);
  // A Map, not the config object: a job type such as "constructor" must not find Object's methods.
  const milestonesByType = new Map(Object.entries(config.notify.milestones));
  const live = new LiveJobs((type) => priors.peek(type));
  // A bus shared with other nodes may have followers of any job there, and they may write any job.
  const sharedStore = config.redis !== undefined || options.bus !== undefined;
  const interest = new ProgressInterest(sharedStore);
  const committer = new JobCommitter({ store, bus, live, locks: new JobLocks(), logger, now, afterCommit: afterCommit(live, now), sharedStore });
  followOtherNodes(bus, live, store, logger);
  const journal = new ProgressJournal(store, nodeId, logger);
  const adopter = new JournalAdopter(store, nodeId, config.journalAdoptAfterMs, logger);
  const milestonePercents = options.milestonePercents ?? ((type: string) => milestonesByType.get(type) ?? DEFAULT_MILESTONES);
  const jobs = new JobsService({
    store,
    bus,
    live,
    committer,
    stats,
    now,
    backoffMs: (attempt) => Math.round(defaultBackoffMs(attempt) * (0.5 + Math.random() / 2)),
    milestonePercents,
    journal,
    loadPrior: (type) => priors.get(type),
    interest,
    sharedStore,
  });
  const flusher = new ProgressFlusher({ store, bus, live, committer, logger, stats, now, flushIntervalMs: config.flushIntervalMs, announceIntervalMs: config.announceIntervalMs, interest, milestonePercents, journal });
  const runtime = new WorkerRuntime({ store, bus, jobs, committer, logger, nodeId, leaseMs: config.leaseMs, now });
  const retention = new RetentionSweeper(store, logger, now, config.retentionDays);
  const textIndexer = new FinishedTextIndexer(store, logger);
  const notifier = createNotifier({ store, bus, config, logger, now, nodeId });
  const alerts = new AlertMonitor({ store, notifier, settings: config.alerts, logger, now, priorDurations: (type) => priors.get(type) });

  return {
    config,
    nodeId,
    logger,
    now,
    store,
    bus,
    jobs,
    runtime,
    notifier,
    alerts,
    stats,
    interest,
    async start() {
      // Before anything reads a job: answered progress a crash kept from its row goes back first.
      await replayJournal(store, logger);
      adopter.start();
      flusher.start();
      retention.start();
      textIndexer.start();
      await notifier.start();
      await runtime.start();
      alerts.start();
    },
    async stop() {
      await alerts.stop();
      await runtime.stop();
      retention.stop();
      await textIndexer.stop();
      await flusher.stop();
      await adopter.stop();
      await notifier.stop();
      await bus.close();
      await store.close();
    },
  };
}
