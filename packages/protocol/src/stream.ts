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
  | { type: 'unsubscribe'; channel: Channel };

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
  | { type: 'error'; channel?: Channel; code: string; message: string };

/**
 * An in-app notification for the user of a `user:<id>` channel (live only: the feed itself is
 * read over REST). Kept outside `ServerMessage` so existing exhaustive switches keep compiling;
 * clients that show notifications accept `StreamMessage`.
 */
export interface NotificationMessage {
  type: 'notification';
  channel: `user:${string}`;
  notification: unknown;
}

/** Everything a live connection may receive. */
export type StreamMessage = ServerMessage | NotificationMessage;
