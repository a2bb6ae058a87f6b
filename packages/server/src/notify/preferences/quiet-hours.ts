import { instantOf, wallTimeOf } from '../../model/zone-clock.js';

export interface QuietHours {
  /** HH:MM in the user's zone; a window may wrap midnight (22:00–07:00). */
  start: string;
  end: string;
}

interface Day {
  year: number;
  month: number;
  day: number;
}

interface Stretch {
  start: number;
  end: number;
}

const MINUTE_MS = 60_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function addDays(day: Day, days: number): Day {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The quiet hours that begin on `day`, as one unbroken stretch of time: from the first moment
 * the clock reads the start time to the first moment after it that the clock reads the end time.
 * On DST nights a time the clock skips is reached when the gap ends, and a time it shows twice
 * is reached the first time, so a night lasts its wall-clock span give or take the DST shift,
 * and the repeated hour neither stretches it by a whole hour nor opens it a second time. When
 * both ends fall in one gap the stretch would be empty; it then keeps its wall-clock length
 * from the end of the gap, so no night goes without quiet hours.
 */
function stretchBeginning(day: Day, start: number, end: number, timeZone: string): Stretch {
  const from = instantOf({ ...day, hour: Math.floor(start / 60), minute: start % 60 }, timeZone);
  const to = instantOf({ ...(end > start ? day : addDays(day, 1)), hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
  if (to > from) return { start: from, end: to };
  return { start: from, end: from + (((end - start + 1440) % 1440) * MINUTE_MS) };
}

/**
 * When the quiet hours around `now` end, or null when `now` is not inside them. Pure: the
 * dispatcher defers a non-urgent notification to this instant.
 */
export function quietHoursEnd(now: number, quiet: QuietHours | null, timeZone: string): number | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const wall = wallTimeOf(now, timeZone);
  const today = { year: wall.year, month: wall.month, day: wall.day };
  // Only the stretches beginning yesterday (across midnight) or today can hold `now`.
  for (const dayOffset of [-1, 0]) {
    const stretch = stretchBeginning(addDays(today, dayOffset), start, end, timeZone);
    if (now < stretch.start || now >= stretch.end) continue;
    // A degenerate window on a DST night can end where the next one begins: one quiet spell.
    const next = stretchBeginning(addDays(today, dayOffset + 1), start, end, timeZone);
    return next.start <= stretch.end ? Math.max(stretch.end, next.end) : stretch.end;
  }
  return null;
}
