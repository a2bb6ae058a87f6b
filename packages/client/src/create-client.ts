import type { InAppNotification } from '@headway/protocol';
import { JobsApi } from './http/jobs-api.js';
import { Endpoint, type FetchLike } from './http/rest.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from './live/backoff.js';
import type { WatchUpdate } from './live/channel-state.js';
import type { ConnectionObservable, TransportKind } from './live/connection-state.js';
import { LiveHub } from './live/live-hub.js';
import { DEFAULT_LIVENESS, type LivenessOptions } from './live/liveness.js';
import { channelOf, type WatchTarget } from './live/watch-target.js';
import type { WebSocketConstructor } from './live/ws-transport.js';
import { DEFAULT_UPGRADE_PROBE } from './live/upgrade-probe.js';
import { notificationWatcher, type NotificationWatchOptions } from './notifications/notification-watcher.js';
import { NotificationsApi } from './notifications/notifications-api.js';
import { ProgressOutbox } from './reporter/progress-outbox.js';
import { Reporter, type ReporterOptions } from './reporter/reporter.js';

export interface ClientOptions {
  /** Base URL of the Headway server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** API key, admin key or user token. */
  token?: string;
  fetch?: FetchLike;
  /** Defaults to the global WebSocket, else the `ws` package (Node 20). */
  WebSocket?: WebSocketConstructor;
  /** Live transports to try, best first (default websocket, then sse, then polling). */
  transports?: TransportKind[];
  /** Reconnect delays (exponential with full jitter). */
  reconnect?: Partial<BackoffOptions>;
  /** How long a live connection may stay silent before it is dropped and reopened (defaults follow the server's heartbeats). */
  liveness?: Partial<LivenessOptions>;
  /** Interval of list polling, and the pause between long-polls of a finished job (default 2000). */
  pollIntervalMs?: number;
  /**
   * While on a fallback (SSE, polling) that stays open, WebSocket is tried again beside it after
   * these delays: from `baseMs`, doubling up to `maxMs`, each between half and all of that (default
   * 30,000 and 300,000: 15–30 s, then 30–60 s, … up to 2.5–5 min). The first that opens takes
   * over every watch, resuming from its last seq. `false`: stay on the fallback until it drops.
   */
  upgradeProbe?: Partial<BackoffOptions> | false;
}

export interface WatchOptions {
  /** The server refused the channel (not found, not yours) or the token; the watch has ended. */
  onError?: (error: Error) => void;
}

/** REST calls for every route, live watches and the worker reporter, sharing one connection. */
export class HeadwayClient extends JobsApi {
  /** Connection state of live watches, e.g. for a "reconnecting…" badge. */
  readonly connection: ConnectionObservable;
  /** The notification feed, unread count, read marks and preferences (REST). */
  readonly notifications: NotificationsApi;
  private readonly hub: LiveHub;
  private readonly outbox: ProgressOutbox;

  constructor(options: ClientOptions) {
    const endpoint = new Endpoint(options.url, options.token, options.fetch);
    super(endpoint);
    this.hub = new LiveHub(endpoint, this, {
      transports: options.transports ?? ['websocket', 'sse', 'polling'],
      backoff: { ...DEFAULT_BACKOFF, ...options.reconnect },
      liveness: { ...DEFAULT_LIVENESS, ...options.liveness },
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      upgradeProbe: options.upgradeProbe === false ? null : { ...DEFAULT_UPGRADE_PROBE, ...options.upgradeProbe },
      WebSocket: options.WebSocket,
    });
    this.connection = this.hub.connection;
    this.notifications = new NotificationsApi(endpoint);
    this.outbox = new ProgressOutbox(this);
  }

  /**
   * Follows a job (`id`), every visible job (`'jobs'`) or one user's jobs (`{user}`): calls
   * `onUpdate` with the snapshot, then after every change. Answers an unsubscribe.
   */
  watch(target: WatchTarget, onUpdate: (update: WatchUpdate) => void, options: WatchOptions = {}): () => void {
    return this.hub.watch(channelOf(target), { onUpdate, onError: options.onError });
  }

  /** The current local state of a watched target, or null before its snapshot. */
  watched(target: WatchTarget): WatchUpdate | null {
    return this.hub.current(channelOf(target));
  }

  /**
   * Calls `onNotification` for every in-app notification sent to `userId` from now on, over the
   * same shared connection as `watch` (the `user:<id>` channel). Pushes missed while the
   * connection was down are not replayed: `options.onSync` says when to re-read the feed.
   */
  watchNotifications(userId: string, onNotification: (notification: InAppNotification) => void, options: NotificationWatchOptions = {}): () => void {
    return this.hub.watch(channelOf({ user: userId }), notificationWatcher(onNotification, options));
  }

  /** A reporter for a remote worker running `jobId`. */
  report(jobId: string, options: ReporterOptions = {}): Reporter {
    return new Reporter(this, this.outbox, jobId, options);
  }

  /** Ends every watch and the connection. */
  close(): void {
    this.hub.close();
  }
}

export function createClient(options: ClientOptions): HeadwayClient {
  return new HeadwayClient(options);
}
