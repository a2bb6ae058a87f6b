import { describe, expect, it } from 'vitest';
import { zonedBucketStarts } from '../../src/model/zoned-buckets.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** `2025-03-30 03:00 +02:00`: the local clock and offset at each instant. */
function local(instants: number[], timeZone: string): string[] {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'longOffset' });
  return instants.map((instant) => {
    const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    const offset = part.timeZoneName === 'GMT' ? '+00:00' : part.timeZoneName!.slice(3);
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute} ${offset}`;
  });
}

/** Length of each bucket in hours, the last one up to `to`. */
function hoursOf(starts: number[], to: number): number[] {
  return starts.map((start, i) => ((starts[i + 1] ?? to) - start) / HOUR);
}

describe('buckets that follow a time zone', () => {
  it('in UTC are the multiples of the size since the epoch, as before time zones', () => {
    for (const [from, to, size] of [
      [1_700_000_123_456, 1_700_900_000_000, HOUR],
      [5, 90 * DAY + 7, 7 * DAY],
      [0, 10 * DAY, 5 * HOUR],
      [1_700_000_000_000, 1_700_000_000_000 + 2_000 * MINUTE, MINUTE],
    ] as const) {
      const first = Math.floor(from / size) * size;
      const grid = Array.from({ length: Math.ceil((to - first) / size) }, (_, i) => first + i * size);
      expect(zonedBucketStarts(from, to, size, 'UTC')).toEqual(grid);
    }
  });

  it('start days at local midnight: the first at or before `from`, a spring-forward day 23 hours, a fall-back day 25', () => {
    const spring = zonedBucketStarts(Date.UTC(2025, 2, 28, 12), Date.UTC(2025, 2, 31, 22), DAY, 'Europe/Paris');
    expect(local(spring, 'Europe/Paris')).toEqual(['2025-03-28 00:00 +01:00', '2025-03-29 00:00 +01:00', '2025-03-30 00:00 +01:00', '2025-03-31 00:00 +02:00']);
    expect(hoursOf(spring, Date.UTC(2025, 2, 31, 22))).toEqual([24, 24, 23, 24]);
    const fall = zonedBucketStarts(Date.UTC(2025, 9, 25, 12), Date.UTC(2025, 9, 27, 23), DAY, 'Europe/Paris');
    expect(local(fall, 'Europe/Paris')).toEqual(['2025-10-25 00:00 +02:00', '2025-10-26 00:00 +02:00', '2025-10-27 00:00 +01:00']);
    expect(hoursOf(fall, Date.UTC(2025, 9, 27, 23))).toEqual([24, 25, 24]);
  });

  it('give the hour a spring-forward skips no bucket and the hour a fall-back repeats two', () => {
    const spring = zonedBucketStarts(Date.UTC(2025, 2, 29, 23), Date.UTC(2025, 2, 30, 22), HOUR, 'Europe/Paris');
    expect(spring).toHaveLength(23);
    expect(local(spring.slice(1, 4), 'Europe/Paris')).toEqual(['2025-03-30 01:00 +01:00', '2025-03-30 03:00 +02:00', '2025-03-30 04:00 +02:00']);
    const fall = zonedBucketStarts(Date.UTC(2025, 9, 25, 22), Date.UTC(2025, 9, 26, 23), HOUR, 'Europe/Paris');
    expect(fall).toHaveLength(25);
    expect(local(fall.slice(1, 5), 'Europe/Paris')).toEqual(['2025-10-26 01:00 +02:00', '2025-10-26 02:00 +02:00', '2025-10-26 02:00 +01:00', '2025-10-26 03:00 +01:00']);
    expect(new Set(hoursOf(fall, Date.UTC(2025, 9, 26, 23)))).toEqual(new Set([1]));
    // Ending inside the repeated hour's first pass: its second pass is no bucket of the range.
    expect(zonedBucketStarts(Date.UTC(2025, 9, 25, 23, 30), Date.UTC(2025, 9, 26, 0, 30), HOUR, 'Europe/Paris')).toEqual([Date.UTC(2025, 9, 25, 23), Date.UTC(2025, 9, 26)]);
    // Starting inside the repeated hour's second pass: that pass is the first bucket.
    expect(local(zonedBucketStarts(Date.UTC(2025, 9, 26, 1, 30), Date.UTC(2025, 9, 26, 2), 30 * MINUTE, 'Europe/Paris'), 'Europe/Paris')).toEqual(['2025-10-26 02:30 +01:00']);
  });

  it('align sub-day buckets on the local clock: 6-hour blocks from local midnight, hours on a half-hour offset', () => {
    const quarters = zonedBucketStarts(Date.UTC(2025, 6, 1, 9), Date.UTC(2025, 6, 2, 7), 6 * HOUR, 'America/Los_Angeles');
    expect(local(quarters, 'America/Los_Angeles')).toEqual(['2025-07-01 00:00 -07:00', '2025-07-01 06:00 -07:00', '2025-07-01 12:00 -07:00', '2025-07-01 18:00 -07:00']);
    const kolkata = zonedBucketStarts(Date.UTC(2025, 0, 1, 0, 10), Date.UTC(2025, 0, 1, 2), HOUR, 'Asia/Kolkata');
    expect(kolkata).toEqual([Date.UTC(2024, 11, 31, 23, 30), Date.UTC(2025, 0, 1, 0, 30), Date.UTC(2025, 0, 1, 1, 30)]);
  });

  it('start a day the clock enters after midnight (Santiago springs forward at 24:00) when the gap ends', () => {
    const starts = zonedBucketStarts(Date.UTC(2025, 8, 6, 4), Date.UTC(2025, 8, 8, 3), DAY, 'America/Santiago');
    expect(local(starts, 'America/Santiago')).toEqual(['2025-09-06 00:00 -04:00', '2025-09-07 01:00 -03:00']);
  });
});
