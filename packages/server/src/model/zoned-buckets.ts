/**
 * Time buckets that follow a zone's wall clock (zone-clock.ts). Buckets are aligned on the local
 * clock, counted from 1970-01-01 00:00 local time, so in UTC they are exactly the multiples of
 * the size since the epoch.
 *
 * - A bucket of whole days starts at local midnight: a DST day is 23 or 25 hours long.
 * - A smaller bucket starts each time the local clock reads a multiple of its size: the hour a
 *   fall-back repeats is a bucket of its own, the hour a spring-forward skips is none.
 * - A start the clock skips (a gap) becomes the instant the gap ends.
 */

import { zoneClock } from './zone-clock.js';

const DAY_MS = 86_400_000;

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
