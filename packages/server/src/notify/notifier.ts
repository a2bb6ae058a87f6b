import type { Job, JobEvent } from '@headway/protocol';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import type { Bus, BusMessage } from '../bus/bus.js';
import type { Config } from '../config/config.js';
import { toJobView } from '../model/job-record.js';
import type { Store } from '../store/store.js';
import type { NotificationChannel } from './channels/channel.js';
import { channelsFromConfig } from './channels/index.js';
import { Dispatcher } from './dispatcher.js';
import { Enqueuer } from './enqueuer.js';
import { jobAfterEach } from './job-at-event.js';
import { TemplateCatalog } from './templates/catalog.js';
import { triggerOf } from './triggers.js';
import type { ChannelName, NotificationData, Trigger } from './types.js';

export interface NotifierDeps {
  store: Store;
  bus: Bus;
  config: Config;
  logger: Logger;
  now?: () => number;
  /** Lease owner of claimed notifications; defaults to config.nodeId or a fresh id. Pass the node id. */
  nodeId?: string;
  random?: () => number;
  /** Replaces the channels built from the config (e.g. a node that only logs). */
  channels?: Map<ChannelName, NotificationChannel>;
}

/** An alert raised by the service (stalled jobs, error rates, ...): any `alert.<kind>` type. */
export interface AlertInput {
  type: `alert.${string}`;
  /** Stable id of this alert: raising it again with the same id notifies nobody twice. */
  id: string;
  message: string;
  jobId?: string | null;
  jobType?: string | null;
  owner?: string | null;
  recipients?: string[];
  facts?: Record<string, unknown>;
}

export interface Notifier {
  /** Subscribes to the bus, replays job events missed while stopped, and starts the dispatcher. */
  start(): Promise<void>;
  /** Writes what is gathered, stops the dispatcher (waiting for sends in progress) and closes transports. */
  stop(): Promise<void>;
  raise(alert: AlertInput): void;
  /** Resolves once every trigger seen so far is in the outbox. */
  flush(): Promise<void>;
  /** Looks for due notifications now. */
  wake(): void;
  /** Triggers held in memory, waiting for the outbox (bounded by notify.maxPendingTriggers). */
  readonly pendingTriggers: number;
  readonly templates: TemplateCatalog;
  readonly channels: ReadonlySet<ChannelName>;
}

/** Later events of one job read per query when rebuilding it as of replayed events. */
const REPLAY_PAGE = 500;

export function createNotifier(deps: NotifierDeps): Notifier {
  const { store, bus, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const newId = () => uuidv7();
  const channels = deps.channels ?? channelsFromConfig(config, bus, logger, now);
  const templates = new TemplateCatalog(store.notifications, now);
  const nodeId = deps.nodeId ?? config.nodeId ?? uuidv7();
  const dispatcher = new Dispatcher({ store, logger, now, newId, random: deps.random ?? Math.random, nodeId, settings: config.notify, channels, templates });
  const enqueuer = new Enqueuer({
    store,
    logger,
    now,
    newId,
    intervalMs: config.notify.enqueueIntervalMs,
    maxPending: config.notify.maxPendingTriggers,
    readSince: (afterCursor, limit) => triggersSince(afterCursor, limit),
    context: { criticalTypes: config.notify.criticalTypes, sendable: new Set(channels.keys()) },
    onEnqueued: () => dispatcher.wake(),
  });
  let unsubscribe: (() => void) | null = null;

  const onMessage = (message: BusMessage) => {
    if (message.type !== 'event') return;
    enqueuer.add(triggerOf(message.event, message.job), message.event.cursor);
  };

  /** Job events after a cursor as triggers: events written while no notifier listened (a crash between commit and enqueue), or dropped from memory. */
  async function triggersSince(afterCursor: number, limit: number): Promise<Array<{ trigger: Trigger | null; cursor: number }>> {
    const events = await store.jobs.eventsSince(afterCursor, limit);
    const asOf = await jobsAsOfEvents(events);
    return events.map((event) => {
      const job = asOf.get(event.jobId)?.get(event.seq);
      return { trigger: job ? triggerOf(event, job) : null, cursor: event.cursor! };
    });
  }

  /** Replays what was missed while stopped; the UNIQUE keys absorb overlaps. */
  async function replayMissedEvents(): Promise<void> {
    if ((await store.notifications.savedCursor()) === null) {
      // First start: notify from now on, not about history.
      await store.notifications.enqueue({ notifications: [], digestItems: [], cursor: await store.jobs.latestCursor() }, now());
      return;
    }
    await enqueuer.catchUp();
  }

  /**
   * Replayed events are old: each notification describes the job as it was after its event, not
   * as the row is now (a started event of a job completed since said "completed, 100% done").
   * That needs every event of the job after the replayed ones, so their transitions can be undone.
   */
  async function jobsAsOfEvents(events: JobEvent[]): Promise<Map<string, Map<number, Job>>> {
    const byJob = new Map<string, JobEvent[]>();
    for (const event of events) {
      const own = byJob.get(event.jobId);
      if (own) own.push(event);
      else byJob.set(event.jobId, [event]);
    }
    const records = await store.jobs.getMany([...byJob.keys()]);
    const asOf = new Map<string, Map<number, Job>>();
    for (const record of records) {
      const own = byJob.get(record.id)!;
      // Only up to the row just read: an event committed since is not in it.
      const listed = own.filter((e) => e.seq <= record.seq);
      for (let after = listed.at(-1)?.seq ?? record.seq; after < record.seq; ) {
        const later = (await store.jobs.events(record.id, after, REPLAY_PAGE)).filter((e) => e.seq <= record.seq);
        if (later.length === 0) break;
        listed.push(...later);
        after = later.at(-1)!.seq;
      }
      asOf.set(record.id, jobAfterEach(toJobView(record), record.milestones, listed));
    }
    return asOf;
  }

  return {
    templates,
    channels: new Set(channels.keys()),
    async start() {
      unsubscribe = bus.subscribe(onMessage);
      await replayMissedEvents();
      await dispatcher.start();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await enqueuer.stop();
      await dispatcher.stop();
      for (const channel of channels.values()) await channel.close?.();
    },
    raise(alert) {
      const data: NotificationData = { type: alert.type, at: now(), job: null, alert: { ...alert.facts, kind: alert.type.slice('alert.'.length), message: alert.message } };
      const trigger = {
        type: alert.type,
        key: `alert:${alert.id}`,
        jobId: alert.jobId ?? null,
        jobType: alert.jobType ?? null,
        parentId: null,
        owner: alert.owner ?? null,
        ...(alert.recipients ? { recipients: alert.recipients } : {}),
        data,
      };
      enqueuer.add(trigger);
    },
    flush: () => enqueuer.flush(),
    wake: () => dispatcher.wake(),
    get pendingTriggers() {
      return enqueuer.pendingCount;
    },
  };
}
