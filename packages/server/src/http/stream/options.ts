/**
 * Limits of the live streams. The defaults suit production; tests shrink them to reach the
 * slow-consumer and dead-peer paths quickly.
 */
export interface StreamOptions {
  /** A WebSocket peer that has not answered the previous ping by the next one is terminated. */
  pingIntervalMs: number;
  /** SSE comment lines that keep proxies from closing an idle stream. */
  sseHeartbeatMs: number;
  /** Durable messages a connection may have queued before it is told to resync instead. */
  maxPendingEvents: number;
  /** Distinct jobs with conflated progress a connection may have queued (one entry per job). */
  maxPendingProgress: number;
  /** Bytes the socket may hold unsent; above it we stop writing and conflate in the queue. */
  highWaterBytes: number;
  /** Events a resubscribing client may have missed before it gets a resync instead of a replay. */
  replayLimit: number;
  /** Jobs per snapshot message: a many-job snapshot holds every unfinished job, in pages of this size. */
  snapshotPageSize: number;
  /** Channels one connection may follow. */
  maxChannelsPerConnection: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  pingIntervalMs: 30_000,
  sseHeartbeatMs: 15_000,
  maxPendingEvents: 2_000,
  maxPendingProgress: 10_000,
  highWaterBytes: 1_048_576,
  replayLimit: 1_000,
  snapshotPageSize: 500,
  maxChannelsPerConnection: 1_000,
};
