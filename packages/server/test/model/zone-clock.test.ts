import { describe, expect, it } from 'vitest';
import { instantOf, resolveTimeZone, wallTimeOf, zoneClock } from '../../src/model/zone-clock.js';

// 2025 DST nights: Paris 30 Mar 02:00→03:00 and 26 Oct 03:00→02:00 (both at 01:00Z);
// Lord Howe (30-minute shift) 5 Oct 02:00→02:30 (4 Oct 15:30Z).
describe('a time zone clock', () => {
  it('reads the local wall time at an instant, to the second', () => {
    expect(wallTimeOf(Date.UTC(2025, 2, 30, 0, 59, 59, 999), 'Europe/Paris')).toEqual({ year: 2025, month: 3, day: 30, hour: 1, minute: 59, second: 59 });
    expect(wallTimeOf(Date.UTC(2025, 2, 30, 1), 'Europe/Paris')).toEqual({ year: 2025, month: 3, day: 30, hour: 3, minute: 0, second: 0 });
    expect(wallTimeOf(Date.UTC(2024, 11, 31, 18, 30), 'Asia/Kolkata')).toEqual({ year: 2025, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  });

  it('shows a wall time once on a normal day, twice in a fall-back, and a skipped one at the end of the gap', () => {
    const paris = zoneClock('Europe/Paris');
    expect(paris.instantsShowing(Date.UTC(2025, 6, 1, 12))).toEqual([Date.UTC(2025, 6, 1, 10)]);
    expect(paris.instantsShowing(Date.UTC(2025, 9, 26, 2, 30))).toEqual([Date.UTC(2025, 9, 26, 0, 30), Date.UTC(2025, 9, 26, 1, 30)]);
    expect(paris.instantsShowing(Date.UTC(2025, 2, 30, 2, 30))).toEqual([Date.UTC(2025, 2, 30, 1)]);
    expect(zoneClock('Australia/Lord_Howe').instantsShowing(Date.UTC(2025, 9, 5, 2, 15))).toEqual([Date.UTC(2025, 9, 4, 15, 30)]);
    expect(paris.wallOf(Date.UTC(2025, 9, 26, 1, 30))).toBe(Date.UTC(2025, 9, 26, 2, 30));
  });

  it('takes the first instant showing a wall time as its instant', () => {
    expect(instantOf({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, 'Europe/Paris')).toBe(Date.UTC(2025, 9, 26, 0, 30));
    expect(instantOf({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Paris')).toBe(Date.UTC(2025, 2, 30, 1));
  });

  it('resolves zone names as Intl does, and knows no made-up zone', () => {
    expect(resolveTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(resolveTimeZone('UTC')).toBe('UTC');
    expect(resolveTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(resolveTimeZone('+01:00 or so')).toBeNull();
  });
});
