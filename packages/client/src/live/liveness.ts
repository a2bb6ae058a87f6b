/**
 * How long a live connection may stay silent before it counts as dead. A connection lost without
 * FIN or RST (a Wi-Fi switch, a NAT that forgot it) otherwise looks open for ever. The defaults
 * follow the server's heartbeats (its stream options); a server run with slower ones needs these raised.
 */
export interface LivenessOptions {
  /** WebSocket silence after which the client sends a probe. The server pings every 30 s: `ws` sees pings, browsers do not. */
  websocketIdleMs: number;
  /** How long a WebSocket probe may go unanswered (by any frame) before the socket is dropped. */
  websocketProbeTimeoutMs: number;
  /** Event-stream silence after which the stream is dropped. The server writes a keep-alive comment every 15 s. */
  sseSilenceMs: number;
  /**
   * How long a long-poll may take before it is presumed dead. Each long-poll asks the server to
   * answer within 15 s less (half as long, when that is shorter), and never more than 25 s.
   */
  longPollTimeoutMs: number;
  /**
   * How long any other polling request may take. Kept short: after a network change, requests
   * may go out on pooled keep-alive connections that died too, and each costs this long.
   */
  pollRequestTimeoutMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = {
  websocketIdleMs: 35_000,
  websocketProbeTimeoutMs: 10_000,
  sseSilenceMs: 35_000,
  longPollTimeoutMs: 40_000,
  pollRequestTimeoutMs: 10_000,
};

/** The longest wait a long-poll asks for: the server's default (it accepts up to 30 s). */
const LONG_POLL_WAIT_MS = 25_000;

/**
 * The wait a long-poll asks the server for, given how long the client lets it run: the server
 * would otherwise hold it 25 s, and a shorter `longPollTimeoutMs` would abort every quiet
 * long-poll as dead. The margin is for the answer to cross the network and a busy server.
 */
export function longPollWaitMs(longPollTimeoutMs: number): number {
  const marginMs = Math.min(15_000, longPollTimeoutMs / 2);
  return Math.max(0, Math.floor(Math.min(LONG_POLL_WAIT_MS, longPollTimeoutMs - marginMs)));
}

/**
 * Calls `onSilence` once nothing was heard for a while. `heard()` only notes the time, since it
 * runs for every frame; the single timer re-arms itself for the rest when it fires early.
 */
export class SilenceWatch {
  private silenceMs = 0;
  private lastHeardAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onSilence: () => void) {}

  /** (Re)starts the wait from now: `onSilence` runs once after `silenceMs` without `heard()`. */
  start(silenceMs: number): void {
    this.stop();
    this.silenceMs = silenceMs;
    this.lastHeardAt = Date.now();
    this.arm(silenceMs);
  }

  heard(): void {
    this.lastHeardAt = Date.now();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => {
      const leftMs = this.lastHeardAt + this.silenceMs - Date.now();
      if (leftMs > 0) return this.arm(leftMs);
      this.timer = null;
      this.onSilence();
    }, delayMs);
  }
}
