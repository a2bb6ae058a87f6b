import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, splitBatch, utf8ByteLength } from '../../src/reporter/batch-limits.js';

describe('progress batches within the server limits', () => {
  it("follows the server's limits: 5,000 items (the protocol's schema) and under the default 1 MiB body", () => {
    expect(DEFAULT_BATCH_LIMITS.maxItems).toBe(5_000);
    expect(DEFAULT_BATCH_LIMITS.maxBytes).toBeLessThan(1_048_576);
  });

  it('splits by item count, in order', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ i, bytes: 10 }));
    const chunks = splitBatch(items, { maxItems: 5, maxBytes: 1_000_000 });
    expect(chunks.map((chunk) => chunk.map((item) => item.i))).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]);
  });

  it('splits by the bytes of the JSON array (brackets and commas included); an item over the limit goes alone', () => {
    const items = [40, 40, 40, 200, 10].map((bytes, i) => ({ i, bytes }));
    // [a,b] is 2 + 40 + 1 + 40 = 83 bytes; a third item would make 124.
    const chunks = splitBatch(items, { maxItems: 100, maxBytes: 100 });
    expect(chunks.map((chunk) => chunk.map((item) => item.i))).toEqual([[0, 1], [2], [3], [4]]);
  });

  it('counts UTF-8 bytes, not UTF-16 code units', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
    expect(utf8ByteLength(JSON.stringify({ message: 'ü😀' }))).toBe(new TextEncoder().encode(JSON.stringify({ message: 'ü😀' })).length);
  });
});
