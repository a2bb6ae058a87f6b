import type { Channel } from '@headway/protocol';
import type { LiveMessage } from './channel-state.js';
import type { TransportKind } from './connection-state.js';

export interface TransportClose {
  error: Error | null;
  /** Whether this transport ever opened; a transport that never did may be blocked. */
  opened: boolean;
  /** Retrying cannot help (a rejected token): stop and tell the watchers. */
  fatal: boolean;
}

export interface TransportHandlers {
  onOpen(): void;
  onMessage(message: LiveMessage): void;
  /** Called once, unless the hub closed the transport itself. */
  onClose(info: TransportClose): void;
}

/**
 * One way of receiving channel messages. The hub makes a new transport per connection
 * attempt and subscribes every channel at once; a transport buffers subscriptions until it
 * is open. Resume points (`after`) are the hub's business.
 */
export interface Transport {
  readonly kind: TransportKind;
  subscribe(channel: Channel, after: number | null): void;
  unsubscribe(channel: Channel): void;
  close(): void;
}
