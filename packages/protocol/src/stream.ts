import type { JobEvent, ProgressUpdate } from './events.js';
import type { Job } from './job.js';

/** Channels a live subscriber may follow. */
export type Channel = `job:${string}` | `user:${string}` | 'jobs';

export type ClientMessage =
  /**
   * Without `after`: a snapshot, then live messages. With `after` (the last `seq` received on a
   * `job:` channel, the last `cursor` on `user:`/`jobs`; 0 for a client that received nothing):
   * the missed durable events, then a snapshot; or a `resync` when more was missed than can be
   * replayed. A user token on `jobs` gets only its own jobs; on `user:<id>` only its own id.
   */
  | { type: 'subscribe'; channel: Channel; after?: number }
  | { type: 'unsubscribe'; channel: Channel }
  /** Answered at once with `pong`: a liveness check for clients that cannot see WebSocket pings (browsers). */
  | { type: 'ping' };

export type ServerMessage =
  /**
   * Current state of every job in the channel (one for `job:` channels). `seq` is the resume point.
   * On `user:`/`jobs` every unfinished job is included, in pages: each page but the last carries
   * `more: true`, all pages carry the same `seq`; the state is complete once a page without `more` arrived.
   */
  | { type: 'snapshot'; channel: Channel; jobs: Job[]; seq: number; more?: boolean }
  /** A durable event; `job` is the job's state after it. */
  | { type: 'event'; channel: Channel; jobId: string; seq: number; cursor?: number; event: JobEvent; job?: Job }
  | { type: 'progress'; channel: Channel; jobId: string; seq: number; update: ProgressUpdate }
  /**
   * The server cannot replay what was missed; the client must replace its state with this snapshot.
   * When it has `more: true`, the rest of the new state follows as `snapshot` pages (see above).
   */
  | { type: 'resync'; channel: Channel; jobs: Job[]; seq: number; reason: string; more?: boolean }
  | { type: 'error'; channel?: Channel; code: string; message: string }
  /** The answer to a client's `ping`. */
  | { type: 'pong' }
  | NotificationMessage;

/**
 * An in-app notification for the user of a `user:<id>` channel, pushed once when it is sent
 * (live only: nothing is replayed on resume; the feed itself is read over REST, so a client
 * that reconnects re-reads it). `notification` has the shape of `InAppNotification`.
 */
export interface NotificationMessage {
  type: 'notification';
  channel: `user:${string}`;
  notification: unknown;
}

/** A notification as `GET /v1/notifications` lists it and the stream pushes it (in-app channel). */
export interface InAppNotification {
  id: string;
  userId: string;
  /** e.g. job.completed, job.failed, job.milestone, batch.completed, alert.<kind>. */
  type: string;
  channel: 'in_app' | 'email' | 'sms' | 'webhook' | 'log';
  jobId: string | null;
  /** skipped: not sent, the user's preferences no longer wanted it when its turn came (lastError says why). */
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'deferred' | 'dead' | 'skipped';
  urgent: boolean;
  attempts: number;
  dueAt: number;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  readAt: number | null;
  seenAt: number | null;
  lastError: string | null;
  escalatedFrom: string | null;
  /** Subject and text as rendered for sending (null before the first render). */
  title: string | null;
  text: string | null;
  data: unknown;
}

/** Everything a live connection may receive. */
export type StreamMessage = ServerMessage | NotificationMessage;
