import type { Job, JobEvent, ProgressUpdate } from '@headway/protocol';
import type { NotificationView } from '../notify/types.js';

/** What travels between the service and live subscribers, within one node or across nodes. */
export type BusMessage =
  | { type: 'event'; event: JobEvent; job: Job }
  | { type: 'progress'; update: ProgressUpdate; owner: string | null; parentId: string | null }
  /** An in-app notification was delivered (or its read state changed): for the user's `user:<id>` subscribers. */
  | { type: 'notification'; userId: string; notification: NotificationView };

/**
 * Carries job events to every subscriber on every node. Implementations deliver the
 * messages of one job in the order they were published.
 */
export interface Bus {
  publish(message: BusMessage): void;
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
  /** Round-trip to the broker, for /v1/health; buses without one (in-process) leave it out. */
  ping?(): Promise<void>;
  /** False while the connection to the broker is down (Redis reconnecting); in-process buses leave it out. */
  isReady?(): boolean;
}
