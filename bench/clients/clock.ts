/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC, shared by every process).
 * `performance.timeOrigin + performance.now()` is not comparable across processes: each
 * process fixes its own origin, 1–3 ms apart from the wall clock and from each other.
 */
export function machineMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
