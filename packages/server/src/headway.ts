import type { ProgressInterest } from './service/jobs/progress-interest.js';
import type { Logger } from 'pino';
import type { AlertMonitor } from './alerts/index.js';
import type { Bus } from './bus/bus.js';
import type { Config } from './config/config.js';
import type { Notifier } from './notify/index.js';
import type { JobService } from './service/job-service.js';
import type { Runtime } from './runtime/runtime.js';
import type { Store } from './store/store.js';

/** Counters the system view and benchmarks read. */
export interface HeadwayStats {
  reportsAccepted: number;
  eventsPublished: number;
  flushes: number;
  /** Open WebSocket and SSE connections on this node; the stream routes count them. */
  liveConnections: number;
}

/** One Headway node: store, bus, services and runtime, wired once from the config. */
export interface Headway {
  readonly config: Config;
  readonly nodeId: string;
  readonly logger: Logger;
  /** The node's clock (ms since the epoch): injected in tests; everything that needs "now" reads this one. */
  readonly now: () => number;
  readonly store: Store;
  readonly bus: Bus;
  readonly jobs: JobService;
  readonly runtime: Runtime;
  /** Notifications: raise alerts, flush the enqueuer, templates (src/notify). */
  readonly notifier: Notifier;
  /** Looks for stalled, slow and failing jobs and deep queues, and raises alerts (src/alerts). */
  readonly alerts: AlertMonitor;
  readonly stats: HeadwayStats;
  /** Who on this node follows which jobs' progress (progress nobody follows is not announced). */
  readonly interest: ProgressInterest;
  /** Recovers this node's jobs and starts the flusher, lease renewer, claim loop and alert checks. */
  start(): Promise<void>;
  /** Flushes pending progress, stops loops and handlers, closes the store and bus. */
  stop(): Promise<void>;
}
