/**
 * A time zone's wall clock, from Intl alone (no tz database of our own): what it reads at an
 * instant, and the instants at which it reads a given time. Quiet hours, digest windows and
 * analytics buckets all stand on this.
 */

const DAY_MS = 86_400_000;
/** Offsets are looked up within these years; earlier and later instants use the offset at the edge. */
const EARLIEST_LOOKUP_MS = Date.UTC(1800, 0, 1);
const LATEST_LOOKUP_MS = Date.UTC(200_000, 0, 1);
/** en-US with h23: `3/30/2025, 03:00:00`. */
const SHOWN = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The zone's canonical name ('europe/paris' → 'Europe/Paris', 'GMT' → 'UTC'), or null when Intl does not know it. */
export function resolveTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

// Building a formatter costs far more than formatting with one, so each zone keeps its own.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  return format;
}

/** What the zone's clock reads at `instant`, to the second. */
export function wallTimeOf(instant: number, timeZone: string): WallTime {
  // format() and a regex take a third of formatToParts' time.
  const shown = SHOWN.exec(formatIn(timeZone).format(instant));
  if (!shown) throw new Error(`unexpected date format from Intl for ${timeZone}`);
  const [, month, day, year, hour, minute, second] = shown.map(Number) as number[];
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
}

export interface ZoneClock {
  /** What the zone's clock reads at `instant`, as ms since 1970-01-01 00:00 local time. */
  wallOf(instant: number): number;
  /** The instants the clock reads `wall` (one, or two in a fall-back), or the end of the gap that skips it; ascending. */
  instantsShowing(wall: number): number[];
}

/**
 * The clock of `timeZone`. It remembers the offsets it looks up (neighbouring wall times look up
 * the same instants a day either side of them), so make one per computation.
 */
export function zoneClock(timeZone: string): ZoneClock {
  const offsets = new Map<number, number>();
  const offsetAt = (instant: number): number => {
    const at = Math.min(Math.max(instant, EARLIEST_LOOKUP_MS), LATEST_LOOKUP_MS);
    let offset = offsets.get(at);
    if (offset === undefined) {
      const w = wallTimeOf(at, timeZone);
      offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (at - (((at % 1000) + 1000) % 1000));
      offsets.set(at, offset);
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

/**
 * The first instant the zone's clock shows this wall time: a time shown twice (fall back) gives
 * its first occurrence, a time a spring-forward skips the instant the gap ends (02:30 on a
 * 02:00→03:00 night is 03:00), the first moment the clock reads a later time.
 */
export function instantOf(wall: Omit<WallTime, 'second'>, timeZone: string): number {
  return zoneClock(timeZone).instantsShowing(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute))[0]!;
}
