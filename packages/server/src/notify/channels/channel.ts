import type { Preferences } from '../preferences/schema.js';
import type { RenderedMessage } from '../templates/render.js';
import type { ChannelName, NotificationView } from '../types.js';

/** What a channel needs to send one notification. */
export interface OutgoingMessage {
  /** The notification id: stable across retries, so receivers can de-duplicate (webhook-id, Message-ID). */
  id: string;
  userId: string;
  type: string;
  attempt: number;
  rendered: RenderedMessage;
  contacts: Preferences['contacts'];
  /** The stored notification as the in-app feed shows it (in-app pushes it live). */
  view: NotificationView;
}

export type SendResult =
  | { ok: true; detail?: string; /** Runs once the 'sent' outcome is stored (in-app pushes go out only then). */ afterRecorded?: () => void }
  | {
      ok: false;
      error: string;
      /** false: retrying cannot help (bad address, 4xx): the notification goes dead at once. */
      retryable: boolean;
      /** The receiver asked us to slow down (429) or is broken (5xx): retry later than usual. */
      slowDown?: boolean;
      retryAfterMs?: number;
      /** The endpoint is gone for good (410): disable it. */
      gone?: boolean;
    };

/** One way of reaching people. Adding a channel is adding one adapter that implements this. */
export interface NotificationChannel {
  readonly name: ChannelName;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/** Errors thrown by transports become retryable failures with their message, any URL credentials masked. */
export function failureOf(error: unknown): SendResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: withoutUrlCredentials(message), retryable: true };
}

/** `http://user:pw@host/` → `http://***@host/`: error text ends up in lastError and the log. */
export function withoutUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]+@/gi, '$1***@');
}
