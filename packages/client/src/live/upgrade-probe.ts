import type { BackoffOptions } from './backoff.js';
import type { Transport, TransportClose, TransportHandlers } from './transport.js';

/**
 * Waits between WebSocket probes while on a fallback. A network that blocks WebSocket usually
 * keeps doing so, so probes start slow and back off; the cap bounds how long a fixed proxy goes
 * unnoticed. With these, a client still blocked costs one refused upgrade every 2.5–5 minutes,
 * a small share of what polling itself sends (a long-poll every 25 s at least).
 */
export const DEFAULT_UPGRADE_PROBE: BackoffOptions = { baseMs: 30_000, maxMs: 300_000 };

/**
 * A delay in [cap/2, cap], cap = min(max, base·2^attempt). The jitter spreads clients that fell
 * back together (one proxy's), the floor keeps a probe from following a refusal at once.
 */
export function upgradeProbeDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(cap / 2 + (random() * cap) / 2);
}

export interface UpgradeProbeDeps {
  /** Opens a transport of the preferred kind, with no channels yet. */
  open(handlers: TransportHandlers): Promise<Transport>;
  /** A probe opened: the hub takes its transport over, and with `rebind` its callbacks. */
  opened(transport: Transport, rebind: (handlers: TransportHandlers) => void): void;
  backoff: BackoffOptions;
  random?: () => number;
}

/** Handlers whose target changes when the hub adopts the probe's transport. */
class HandlerRelay implements TransportHandlers {
  constructor(public target: TransportHandlers) {}
  onOpen(): void {
    this.target.onOpen();
  }
  onMessage(message: Parameters<TransportHandlers['onMessage']>[0]): void {
    this.target.onMessage(message);
  }
  onClose(info: TransportClose): void {
    this.target.onClose(info);
  }
}

/**
 * While the hub follows its channels over a fallback (SSE, polling), tries now and then to open
 * the preferred transport beside it, and hands the first one that opens to the hub. A refused
 * probe is the expected answer while the network still blocks it: it only sets the next delay.
 */
export class UpgradeProbe {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private probing: Transport | null = null;
  /** Bumped by start and stop: a probe of an earlier round that opens late is closed, not handed over. */
  private round = 0;

  constructor(private readonly deps: UpgradeProbeDeps) {}

  /** Starts probing afresh (the first delay is the shortest). */
  start(): void {
    this.stop();
    this.attempt = 0;
    this.schedule();
  }

  stop(): void {
    this.round++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.probing?.close();
    this.probing = null;
  }

  private schedule(): void {
    const delayMs = upgradeProbeDelayMs(this.attempt++, this.deps.backoff, this.deps.random);
    this.timer = setTimeout(() => void this.probe(), delayMs);
  }

  private async probe(): Promise<void> {
    this.timer = null;
    const round = this.round;
    const relay: HandlerRelay = new HandlerRelay({
      onOpen: () => this.succeeded(round, relay),
      // Nothing is subscribed before the hub adopts it; a liveness pong needs no one.
      onMessage: () => {},
      onClose: () => this.failed(round),
    });
    let transport: Transport;
    try {
      transport = await this.deps.open(relay);
    } catch {
      // Loading `ws` failed: the hub's own attempts with it report why; try again later.
      return this.failed(round);
    }
    if (round !== this.round) return transport.close();
    this.probing = transport;
  }

  private succeeded(round: number, relay: HandlerRelay): void {
    const transport = this.probing;
    if (round !== this.round || !transport) return;
    this.probing = null;
    this.round++;
    this.deps.opened(transport, (handlers) => void (relay.target = handlers));
  }

  private failed(round: number): void {
    if (round !== this.round) return;
    this.probing = null;
    this.schedule();
  }
}
