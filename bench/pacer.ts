/** How often the pacer starts what is due; a tick that fires late starts two ticks' share at once. */
export const PACING_TICK_MS = 10;

/**
 * Sends at a steady rate: every `tickMs` it starts the share of `ratePerSec` due in that tick,
 * without waiting for earlier sends (an open-loop load, so latency is not hidden by back-off).
 */
export async function paced(ratePerSec: number, seconds: number, send: (n: number) => Promise<unknown>, tickMs = PACING_TICK_MS): Promise<number> {
  const perTick = (ratePerSec * tickMs) / 1000;
  const started = performance.now();
  let sent = 0;
  const pending = new Set<Promise<unknown>>();
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / tickMs + 1) * perTick);
    while (sent < due) {
      const p = send(sent++).finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(pending);
  return sent;
}

/** Wall-clock milliseconds comparable across processes on this machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
