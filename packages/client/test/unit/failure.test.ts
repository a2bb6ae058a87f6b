import { describe, expect, it } from 'vitest';
import { failureOf } from '../../src/reporter/failure.js';

describe('what fail() sends for whatever the worker caught', () => {
  it('an Error: its message and string code', () => {
    expect(failureOf(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toEqual({ message: 'disk full', code: 'ENOSPC' });
  });

  it('never an empty message: the server refuses one', () => {
    expect(failureOf(new Error(''))).toEqual({ message: 'Error without a message' });
    expect(failureOf(new TypeError('  '))).toEqual({ message: 'TypeError without a message' });
    expect(failureOf('')).toEqual({ message: 'failed without a message' });
    expect(failureOf(undefined)).toEqual({ message: 'failed without a message' });
  });

  it('thrown strings and other values become text', () => {
    expect(failureOf('disk full')).toEqual({ message: 'disk full' });
    expect(failureOf({ message: 'plain object', code: 'E1' })).toEqual({ message: 'plain object', code: 'E1' });
    expect(failureOf({ status: 503 })).toEqual({ message: '{"status":503}' });
    expect(failureOf(42)).toEqual({ message: '42' });
    expect(failureOf(10n)).toEqual({ message: '10' });
  });

  it('a message over 10,000 characters is cut with a marker that says so', () => {
    const { message } = failureOf(new Error(`SQL failed: ${'x'.repeat(11_988)}`));
    expect(message.length).toBe(10_000);
    expect(message.startsWith('SQL failed: xxx')).toBe(true);
    expect(message.endsWith('x… [truncated: 12,000 characters in all]')).toBe(true);
  });

  it('the cut never splits a character in two (a lone surrogate would be refused)', () => {
    const marker = '… [truncated: 12,000 characters in all]';
    const keep = 10_000 - marker.length;
    const text = `${'x'.repeat(keep - 1)}😀${'y'.repeat(12_000 - keep - 1)}`;
    expect(failureOf(text)).toEqual({ message: `${'x'.repeat(keep - 1)}${marker}` });
  });

  it('text the server cannot store (NUL, a lone surrogate) becomes U+FFFD', () => {
    expect(failureOf(new Error('bad\0byte \uD800!'))).toEqual({ message: 'bad\uFFFDbyte \uFFFD!' });
  });

  it('a numeric code becomes text; a code over 100 characters is cut; other codes are dropped', () => {
    expect(failureOf(Object.assign(new Error('boom'), { code: 500 }))).toEqual({ message: 'boom', code: '500' });
    expect(failureOf(Object.assign(new Error('boom'), { code: 'E'.repeat(150) }))).toEqual({ message: 'boom', code: 'E'.repeat(100) });
    expect(failureOf(Object.assign(new Error('boom'), { code: { nested: true } }))).toEqual({ message: 'boom' });
    expect(failureOf(Object.assign(new Error('boom'), { code: '' }))).toEqual({ message: 'boom' });
  });
});
