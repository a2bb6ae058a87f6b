import { instantOf, wallTimeOf } from './zoned-time.js';

export interface QuietHours {
  /** HH:MM in the user's zone; a window may wrap midnight (22:00–07:00). */
  start: string;
  end: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
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
  const minute = wall.hour * 60 + wall.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  // The end is today when it is still ahead on the wall clock, else tomorrow (a window across midnight).
  const endsTomorrow = minute >= end;
  const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + (endsTomorrow ? 1 : 0)));
  return instantOf({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
}
