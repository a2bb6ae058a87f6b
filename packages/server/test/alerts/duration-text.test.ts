import { describe, expect, it } from 'vitest';
import { durationText } from '../../src/alerts/duration-text.js';

describe('durations in alert texts', () => {
  it('are said in seconds under a minute, minutes under an hour, then hours and minutes', () => {
    expect(durationText(40_000)).toBe('40 s');
    expect(durationText(59_600)).toBe('1 min');
    expect(durationText(11 * 60_000 + 20_000)).toBe('11 min');
    expect(durationText(59 * 60_000 + 40_000)).toBe('1 h');
    expect(durationText(125 * 60_000)).toBe('2 h 5 min');
  });
});
