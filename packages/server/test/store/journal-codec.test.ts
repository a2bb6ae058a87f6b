import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRow } from '../../src/store/sqlite/journal-codec.js';
import type { ProgressPatch } from '../../src/store/store.js';

describe('the progress journal on disk', () => {
  const tick: ProgressPatch = { id: '0195a1b2-0000-7000-8000-000000000001', seq: 4, done: 1_234, total: null, percent: 12.5, updatedAt: 1_795_527_338_478 };
  const rich: ProgressPatch = {
    id: 'job-é-2',
    done: 7,
    total: 10,
    percent: 70,
    unit: 'rows',
    message: 'row 7 of "10" \u2014 ok',
    currentStep: null,
    metrics: { ratePerSec: 2.5, errors: 1, custom: { rejected: 3 } },
    updatedAt: 2_000,
    activeAt: 2_000,
  };

  it('reads back every patch of every row as written: numbers, nulls, text and JSON fields, no seq', () => {
    const bytes = Buffer.concat([encodeRow(1, [tick, rich]), encodeRow(2, [tick])]);
    expect(decodeRows(bytes)).toEqual([
      { id: 1, patches: [tick, rich] },
      { id: 2, patches: [tick] },
    ]);
  });

  it('leaves out a last row cut short, as a crash mid-write leaves it', () => {
    const whole = encodeRow(1, [tick]);
    const cut = encodeRow(2, [rich]);
    for (const length of [1, 5, cut.length - 1]) expect(decodeRows(Buffer.concat([whole, cut.subarray(0, length)]))).toEqual([{ id: 1, patches: [tick] }]);
  });
});
