export type TransportKind = 'websocket' | 'sse' | 'polling';

export interface ConnectionState {
  /** `closed` when nothing is watched (or after `client.close()`). */
  status: 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Transport in use or being tried; null when closed. */
  transport: TransportKind | null;
  /** Failed attempts since the last successful open. */
  attempt: number;
  /** When the next reconnect attempt starts (epoch ms), while reconnecting. */
  retryAt: number | null;
  /** Why the last connection ended, if it failed. */
  lastError: Error | null;
}

/** Observable connection state, e.g. for a "reconnecting…" badge. */
export interface ConnectionObservable {
  get(): ConnectionState;
  /** Calls `listener` on every change; answers an unsubscribe. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

export const CLOSED_STATE: ConnectionState = { status: 'closed', transport: null, attempt: 0, retryAt: null, lastError: null };

/** Holds the state as an immutable value so `get()` can feed React's useSyncExternalStore. */
export class ConnectionStateStore implements ConnectionObservable {
  private state: ConnectionState = CLOSED_STATE;
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  get(): ConnectionState {
    return this.state;
  }

  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(patch: Partial<ConnectionState>): void {
    const next = { ...this.state, ...patch };
    if (sameState(next, this.state)) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}

function sameState(a: ConnectionState, b: ConnectionState): boolean {
  return a.status === b.status && a.transport === b.transport && a.attempt === b.attempt && a.retryAt === b.retryAt && a.lastError === b.lastError;
}
