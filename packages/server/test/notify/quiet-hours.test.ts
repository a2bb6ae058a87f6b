import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../src/notify/preferences/quiet-hours.js';
import { wallTimeOf } from '../../src/model/zone-clock.js';

// Every instant is written in UTC, so the results do not depend on the machine's TZ.
// 2026 DST nights: Paris 29 Mar 02:00→03:00 and 25 Oct 03:00→02:00 (both at 01:00Z);
// New York 8 Mar 02:00→03:00 (07:00Z) and 1 Nov 02:00→01:00 (06:00Z);
// Lord Howe (30-minute shift) 5 Apr 02:00→01:30 (4 Apr 15:00Z) and 4 Oct 02:00→02:30 (3 Oct 15:30Z).
function quietUntil(nowIso: string, start: string, end: string, timeZone: string): string | null {
  const until = quietHoursEnd(Date.parse(nowIso), { start, end }, timeZone);
  return until === null ? null : new Date(until).toISOString();
}

describe('quiet hours on the spring-forward night', () => {
  it('an end time the clock skips ends quiet hours when the gap ends, not a gap later (Paris 02:30 → 03:00 CEST)', () => {
    expect(quietUntil('2026-03-29T00:30:00Z', '22:00', '02:30', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('an end time the clock skips in New York ends at 03:00 EDT, not an hour early', () => {
    expect(quietUntil('2026-03-08T06:30:00Z', '22:00', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
  });

  it('a start time the clock skips begins quiet hours when the gap ends', () => {
    expect(quietUntil('2026-03-29T00:59:00Z', '02:30', '07:00', 'Europe/Paris')).toBeNull(); // 01:59 CET
    expect(quietUntil('2026-03-29T01:00:00Z', '02:30', '07:00', 'Europe/Paris')).toBe('2026-03-29T05:00:00.000Z');
    expect(quietUntil('2026-03-08T06:59:00Z', '02:30', '07:00', 'America/New_York')).toBeNull(); // 01:59 EST
    expect(quietUntil('2026-03-08T07:00:00Z', '02:30', '07:00', 'America/New_York')).toBe('2026-03-08T11:00:00.000Z');
  });

  it('a window wholly inside the gap still happens that night, for its wall-clock length from the end of the gap', () => {
    expect(quietUntil('2026-03-29T00:59:00Z', '02:15', '02:45', 'Europe/Paris')).toBeNull();
    expect(quietUntil('2026-03-29T01:10:00Z', '02:15', '02:45', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
    expect(quietUntil('2026-03-29T01:30:00Z', '02:15', '02:45', 'Europe/Paris')).toBeNull();
  });

  it('a window across midnight is an hour shorter (22:00–07:00 Paris, 8 hours)', () => {
    expect(quietUntil('2026-03-28T21:00:00Z', '22:00', '07:00', 'Europe/Paris')).toBe('2026-03-29T05:00:00.000Z');
    expect(quietUntil('2026-03-29T00:30:00Z', '22:00', '07:00', 'Europe/Paris')).toBe('2026-03-29T05:00:00.000Z');
    expect(quietUntil('2026-03-29T04:59:00Z', '22:00', '07:00', 'Europe/Paris')).toBe('2026-03-29T05:00:00.000Z');
    expect(quietUntil('2026-03-29T05:00:00Z', '22:00', '07:00', 'Europe/Paris')).toBeNull();
  });

  it('a window within one day spanning the gap ends at its end time (01:00–04:00 New York)', () => {
    expect(quietUntil('2026-03-08T06:30:00Z', '01:00', '04:00', 'America/New_York')).toBe('2026-03-08T08:00:00.000Z');
  });

  it('Lord Howe skips half an hour: an end time in it ends when the gap ends, a start time in it begins there', () => {
    expect(quietUntil('2026-10-03T15:20:00Z', '22:00', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z'); // from 01:50 LHST
    expect(quietUntil('2026-10-03T15:29:00Z', '02:15', '06:00', 'Australia/Lord_Howe')).toBeNull();
    expect(quietUntil('2026-10-03T15:30:00Z', '02:15', '06:00', 'Australia/Lord_Howe')).toBe('2026-10-03T19:00:00.000Z');
  });
});

describe('quiet hours on the fall-back night', () => {
  it('an end time the clock shows twice ends at its first occurrence (Paris 02:05 CEST waits 25 minutes, not 85)', () => {
    expect(quietUntil('2026-10-25T00:05:00Z', '22:00', '02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('once ended, the repeated hour does not open quiet hours again', () => {
    expect(quietUntil('2026-10-25T01:05:00Z', '22:00', '02:30', 'Europe/Paris')).toBeNull(); // 02:05 CET
    expect(quietUntil('2026-11-01T06:05:00Z', '22:00', '01:30', 'America/New_York')).toBeNull(); // 01:05 EST
  });

  it('New York: an end time in the repeated hour ends at its first occurrence', () => {
    expect(quietUntil('2026-11-01T05:05:00Z', '22:00', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // from 01:05 EDT
  });

  it('a start time the clock shows twice begins at its first occurrence and stays quiet through the repeat', () => {
    expect(quietUntil('2026-10-25T00:20:00Z', '02:30', '07:00', 'Europe/Paris')).toBeNull(); // 02:20 CEST
    expect(quietUntil('2026-10-25T00:40:00Z', '02:30', '07:00', 'Europe/Paris')).toBe('2026-10-25T06:00:00.000Z'); // 02:40 CEST
    expect(quietUntil('2026-10-25T01:10:00Z', '02:30', '07:00', 'Europe/Paris')).toBe('2026-10-25T06:00:00.000Z'); // 02:10 CET
    expect(quietUntil('2026-11-01T05:45:00Z', '01:30', '07:00', 'America/New_York')).toBe('2026-11-01T12:00:00.000Z'); // 01:45 EDT
    expect(quietUntil('2026-11-01T06:15:00Z', '01:30', '07:00', 'America/New_York')).toBe('2026-11-01T12:00:00.000Z'); // 01:15 EST
  });

  it('a window across midnight is an hour longer (22:00–07:00 Paris, 10 hours)', () => {
    expect(quietUntil('2026-10-24T20:00:00Z', '22:00', '07:00', 'Europe/Paris')).toBe('2026-10-25T06:00:00.000Z');
    expect(quietUntil('2026-10-25T01:30:00Z', '22:00', '07:00', 'Europe/Paris')).toBe('2026-10-25T06:00:00.000Z');
    expect(quietUntil('2026-10-25T06:00:00Z', '22:00', '07:00', 'Europe/Paris')).toBeNull();
  });

  it('a window within one day keeps its end time (01:00–04:00 Paris; 09:00–17:00 New York)', () => {
    expect(quietUntil('2026-10-24T23:30:00Z', '01:00', '04:00', 'Europe/Paris')).toBe('2026-10-25T03:00:00.000Z');
    expect(quietUntil('2026-11-01T15:00:00Z', '09:00', '17:00', 'America/New_York')).toBe('2026-11-01T22:00:00.000Z');
  });

  it('Lord Howe repeats half an hour: an end time in it ends at its first occurrence', () => {
    expect(quietUntil('2026-04-04T14:35:00Z', '22:00', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z'); // from 01:35 LHDT
    expect(quietUntil('2026-04-04T15:05:00Z', '22:00', '01:45', 'Australia/Lord_Howe')).toBeNull(); // 01:35 LHST
    expect(quietUntil('2026-04-04T15:05:00Z', '01:45', '06:00', 'Australia/Lord_Howe')).toBe('2026-04-04T19:30:00.000Z'); // 01:35 LHST, begun at 01:45 LHDT
  });
});

describe('quiet hours on nights without a DST change', () => {
  const windows = [
    { start: '22:00', end: '07:00' },
    { start: '09:00', end: '17:00' },
    { start: '23:30', end: '00:15' },
  ];
  const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
  const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

  it('are quiet exactly when the clock is inside the window and end when the clock reaches the end', () => {
    for (const timeZone of zones) {
      for (const { start, end } of windows) {
        // A normal day in January and one in July, every 20 minutes.
        for (const from of [Date.parse('2026-01-14T00:00:00Z'), Date.parse('2026-07-14T00:00:00Z')]) {
          for (let now = from; now < from + 86_400_000; now += 1_200_000) {
            const wall = wallTimeOf(now, timeZone);
            const minute = wall.hour * 60 + wall.minute;
            const s = minutesOf(start);
            const e = minutesOf(end);
            const inside = s < e ? minute >= s && minute < e : minute >= s || minute < e;
            const expected = inside ? now + (((e - minute + 1440) % 1440) * 60_000) : null;
            expect(quietHoursEnd(now, { start, end }, timeZone), `${timeZone} ${start}–${end} at ${new Date(now).toISOString()}`).toBe(expected);
          }
        }
      }
    }
  });

  it('stay off when start equals end or there are none', () => {
    expect(quietHoursEnd(Date.parse('2026-01-15T23:00:00Z'), { start: '07:00', end: '07:00' }, 'Europe/Paris')).toBeNull();
    expect(quietHoursEnd(Date.parse('2026-01-15T23:00:00Z'), null, 'Europe/Paris')).toBeNull();
  });
});
