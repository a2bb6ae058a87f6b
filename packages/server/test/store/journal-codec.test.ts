import { describe, expect, it } from 'vitest';
import { progressFieldBit, progressPatchOf, progressShapeOf } from '../../src/store/progress-fields.js';
import { decodeRows, encodeRow } from '../../src/store/sqlite/journal-codec.js';
import type { JournalEntry } from '../../src/store/store.js';
import { jobWith } from '../model/job.js';

const bits = (...fields: Parameters<typeof progressFieldBit>[0][]) => fields.reduce((mask, field) => mask | progressFieldBit(field), 0);

describe('the progress journal on disk', () => {
  const tick: JournalEntry = { record: jobWith({ id: '0195a1b2-0000-7000-8000-000000000001', seq: 4, done: 1_234, total: null, percent: 12.5, updatedAt: 1_795_527_338_478 }), fields: bits('done', 'total', 'percent', 'updatedAt') };
  const rich: JournalEntry = {
    record: jobWith({
      id: 'job-é-2',
      seq: 9,
      done: 7,
      total: 10,
      percent: 70,
      unit: 'rows',
      message: 'row 7 of "10" \u2014 ok',
      currentStep: null,
      metrics: { ratePerSec: 2.5, errors: 1, custom: { rejected: 3 } },
      updatedAt: 2_000,
      activeAt: 2_000,
    }),
    fields: bits('done', 'total', 'percent', 'unit', 'message', 'currentStep', 'metrics', 'updatedAt', 'activeAt'),
  };
  const patchOf = (entry: JournalEntry) => progressPatchOf(entry.record, entry.fields)!;

  it('reads back each job as the patch of the fields asked for: numbers, nulls, text and JSON fields', () => {
    const bytes = Buffer.concat([encodeRow(1, [tick, rich]), encodeRow(2, [tick])]);
    const rows = decodeRows(bytes);
    expect(rows).toEqual([
      { id: 1, patches: [patchOf(tick), patchOf(rich)] },
      { id: 2, patches: [patchOf(tick)] },
    ]);
    expect(progressShapeOf(rows[0]!.patches[1]!)).toBe(rich.fields);
  });

  it('leaves out a last row cut short, as a crash mid-write leaves it', () => {
    const whole = encodeRow(1, [tick]);
    const cut = encodeRow(2, [rich]);
    for (const length of [1, 5, cut.length - 1]) expect(decodeRows(Buffer.concat([whole, cut.subarray(0, length)]))).toEqual([{ id: 1, patches: [patchOf(tick)] }]);
  });
});
