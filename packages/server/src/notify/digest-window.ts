import { instantOf, wallTimeOf } from '../model/zone-clock.js';

export interface DigestWindow {
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;

/**
 * The digest window `now` falls in: the clock hour (hourly), or the user's local calendar day
 * (daily, 23 or 25 hours long on DST days). Everything enqueued in a window goes out in one
 * message when it ends.
 */
export function digestWindow(frequency: 'hourly' | 'daily', now: number, timeZone: string): DigestWindow {
  if (frequency === 'hourly') {
    // Whole hours of UTC are whole hours of every zone except the few with :30/:45 offsets.
    const start = Math.floor(now / HOUR_MS) * HOUR_MS;
    return { start, end: start + HOUR_MS };
  }
  const wall = wallTimeOf(now, timeZone);
  const start = instantOf({ year: wall.year, month: wall.month, day: wall.day, hour: 0, minute: 0 }, timeZone);
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  const end = instantOf({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, timeZone);
  return { start, end };
}
