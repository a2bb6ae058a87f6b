/**
 * Time buckets that follow a zone's wall clock, computed with Intl alone (no tz database of our
 * own). Buckets are aligned on the local clock, counted from 1970-01-01 00:00 local time, so in
 * UTC they are exactly the multiples of the size since the epoch.
 *
 * - A bucket of whole days starts at local midnight: a DST day is 23 or 25 hours long.
 * - A smaller bucket starts each time the local clock reads a multiple of its size: the hour a
 *   fall-back repeats is a bucket of its own, the hour a spring-forward skips is none.
 * - A start the clock skips (a gap) becomes the instant the gap ends.
 */

const DAY_MS = 86_400_000;
/** Offsets are looked up within these years; earlier and later instants use the offset at the edge. */
const EARLIEST_LOOKUP_MS = Date.UTC(1800, 0, 1);
const LATEST_LOOKUP_MS = Date.UTC(200_000, 0, 1);
/** en-US with h23: `3/30/2025, 03:00:00`. */
const SHOWN = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** The zone's canonical name ('europe/paris' → 'Europe/Paris', 'GMT' → 'UTC'), or null when Intl does not know it. */
export function resolveTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * Start instants of the buckets of `sizeMs` in `timeZone` that cover `[from, to)`, oldest first:
 * the first is at or before `from`, every other is inside the range; bucket i ends where bucket
 * i + 1 starts (the last at `to`).
 */
export function zonedBucketStarts(from: number, to: number, sizeMs: number, timeZone: string): number[] {
  const clock = zoneClock(timeZone);
  const wholeDays = sizeMs % DAY_MS === 0;
  let wall = Math.floor(clock.wallOf(from) / sizeMs) * sizeMs;
  // Around a DST change the bucket holding `from` may start at an earlier multiple.
  while (clock.instantsShowing(wall)[0]! > from) wall -= sizeMs;

  const found: number[] = [];
  for (; ; wall += sizeMs) {
    const instants = clock.instantsShowing(wall);
    if (instants[0]! >= to) break;
    // A day starts once, at its first midnight, even where a fall-back makes the clock read 00:00 twice.
    found.push(...(wholeDays ? instants.slice(0, 1) : instants));
  }
  // A repeated hour interleaves the instants of neighbouring multiples (its second pass may lie
  // past `to`), and a gap can give two multiples one start.
  const sorted = [...new Set(found)].filter((start) => start < to).sort((a, b) => a - b);
  const first = sorted.findLastIndex((start) => start <= from);
  return sorted.slice(first);
}

interface ZoneClock {
  /** What the zone's clock reads at `instant`, as ms since 1970-01-01 00:00 local time. */
  wallOf(instant: number): number;
  /** The instants the clock reads `wall` (one, or two in a fall-back), or the end of the gap that skips it; ascending. */
  instantsShowing(wall: number): number[];
}

function zoneClock(timeZone: string): ZoneClock {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  // Formatting is the cost (format() and a regex take a third of formatToParts' time), and
  // neighbouring buckets look up the same instants a day either side of them.
  const cache = new Map<number, number>();
  const offsetAt = (instant: number): number => {
    const at = Math.min(Math.max(instant, EARLIEST_LOOKUP_MS), LATEST_LOOKUP_MS);
    let offset = cache.get(at);
    if (offset === undefined) {
      const shown = SHOWN.exec(format.format(at));
      if (!shown) throw new Error(`unexpected date format from Intl for ${timeZone}`);
      const [, month, day, year, hour, minute, second] = shown.map(Number) as number[];
      const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
      offset = wall - (at - (((at % 1000) + 1000) % 1000));
      cache.set(at, offset);
    }
    return offset;
  };

  return {
    wallOf: (instant) => instant + offsetAt(instant),
    instantsShowing(wall) {
      // Zone offsets stay within ±14 h, so any change that matters lies between these two.
      const before = offsetAt(wall - DAY_MS);
      const after = offsetAt(wall + DAY_MS);
      // One offset either side: no change in between (zones never change twice within two days).
      if (before === after) return [wall - before];
      const shown = [...new Set([wall - before, wall - after])].filter((instant) => instant + offsetAt(instant) === wall).sort((a, b) => a - b);
      if (shown.length > 0) return shown;
      // Skipped: the clock jumps past `wall` somewhere in (lo, hi]; find the jump to the millisecond.
      let lo = wall - after;
      let hi = wall - before;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (mid + offsetAt(mid) < wall) lo = mid;
        else hi = mid;
      }
      return [hi];
    },
  };
}
