import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../../src/live/channel-state.js';
import type { Transport, TransportHandlers } from '../../src/live/transport.js';
import { DEFAULT_UPGRADE_PROBE, upgradeProbeDelayMs, UpgradeProbe } from '../../src/live/upgrade-probe.js';

/** A probe transport the test opens or refuses by hand. */
class FakeTransport implements Transport {
  readonly kind = 'websocket' as const;
  closed = false;
  constructor(readonly handlers: TransportHandlers) {}
  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {
    this.closed = true;
  }
}

/** A probe whose transports are FakeTransports; `adopted` is what it handed over. */
function probeWith(random: () => number) {
  const opened: FakeTransport[] = [];
  const adopted: Array<{ transport: Transport; rebind: (handlers: TransportHandlers) => void }> = [];
  const probe = new UpgradeProbe({
    open: async (handlers) => {
      const transport = new FakeTransport(handlers);
      opened.push(transport);
      return transport;
    },
    opened: (transport, rebind) => adopted.push({ transport, rebind }),
    backoff: DEFAULT_UPGRADE_PROBE,
    random,
  });
  return { probe, opened, adopted };
}

const refuse = (transport: FakeTransport | undefined) => transport?.handlers.onClose({ error: new Error('403'), opened: false, fatal: false });

describe('WebSocket probes while on a fallback', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('each delay is between half and all of a cap that starts at 30 s and doubles up to 5 minutes', () => {
    const caps = [30_000, 60_000, 120_000, 240_000, 300_000, 300_000];
    expect(caps.map((_cap, attempt) => upgradeProbeDelayMs(attempt, DEFAULT_UPGRADE_PROBE, () => 0))).toEqual(caps.map((cap) => cap / 2));
    expect(caps.map((_cap, attempt) => upgradeProbeDelayMs(attempt, DEFAULT_UPGRADE_PROBE, () => 0.999_999))).toEqual(caps.map((cap) => cap - 1));
  });

  it('a refused probe schedules the next one, later each time, until the cap', async () => {
    const { probe, opened } = probeWith(() => 0);
    probe.start();
    for (const waitMs of [15_000, 30_000, 60_000, 120_000, 150_000, 150_000]) {
      const before = opened.length;
      await vi.advanceTimersByTimeAsync(waitMs - 1);
      expect(opened.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(opened.length).toBe(before + 1);
      refuse(opened.at(-1));
    }
    probe.stop();
  });

  it('start() begins again from the shortest delay', async () => {
    const { probe, opened } = probeWith(() => 0);
    probe.start();
    await vi.advanceTimersByTimeAsync(15_000);
    refuse(opened[0]);
    await vi.advanceTimersByTimeAsync(30_000);
    refuse(opened[1]);
    probe.start();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(opened).toHaveLength(3);
    probe.stop();
  });

  it('the probe that opens is handed over once, and its callbacks then go where the hub says', async () => {
    const { probe, opened, adopted } = probeWith(() => 0);
    probe.start();
    await vi.advanceTimersByTimeAsync(15_000);
    const transport = opened[0]!;
    transport.handlers.onOpen();
    expect(adopted.map((handover) => handover.transport)).toEqual([transport]);
    expect(transport.closed).toBe(false);

    const heard: LiveMessage[] = [];
    const closes: unknown[] = [];
    adopted[0]!.rebind({ onOpen: () => {}, onMessage: (message) => heard.push(message), onClose: (info) => closes.push(info) });
    transport.handlers.onMessage({ type: 'pong' });
    transport.handlers.onClose({ error: null, opened: true, fatal: false });
    expect(heard).toEqual([{ type: 'pong' }]);
    expect(closes).toHaveLength(1);
    // Handed over: no further probes of its own.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(opened).toHaveLength(1);
  });

  it('stop() closes a probe under way and cancels the next; one that opens after it is not handed over', async () => {
    const { probe, opened, adopted } = probeWith(() => 0);
    probe.start();
    await vi.advanceTimersByTimeAsync(15_000);
    probe.stop();
    expect(opened[0]?.closed).toBe(true);
    opened[0]?.handlers.onOpen();
    expect(adopted).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(opened).toHaveLength(1);
  });
});
