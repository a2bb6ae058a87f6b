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

  it('reads back metrics as numbers, and as JSON when a custom value is not a number', () => {
    const metricsOf = (custom: Record<string, unknown>): JournalEntry => ({
      record: jobWith({ id: 'm', seq: 2, metrics: { ratePerSec: null, errors: 4, custom: custom as Record<string, number> }, updatedAt: 5 }),
      fields: bits('metrics', 'updatedAt'),
    });
    const entries = [metricsOf({ sentAt: 79_123_456.123456, 'é "odd"': -0.5, '7': 1e300 }), metricsOf({}), metricsOf({ legacy: 'text', n: 1 })];
    const [row] = decodeRows(encodeRow(3, entries));
    expect(row!.patches).toEqual(entries.map(patchOf));
    expect(Object.keys((row!.patches[0]!.metrics as { custom: object }).custom)).toEqual(['7', 'sentAt', 'é "odd"']);
  });

  it('reads rows written with metrics as JSON (a journal left by an earlier version)', () => {
    const id = Buffer.from('job-1');
    const json = Buffer.from(JSON.stringify({ ratePerSec: 2.5, errors: 1, custom: { rejected: 3 } }));
    const mask = bits('done', 'metrics');
    const body = Buffer.alloc(8 + 14 + id.length + 8 + 4 + json.length);
    let at = body.writeUInt32LE(1, 0);
    at = body.writeUInt32LE(1, at);
    at = body.writeUInt32LE(mask, at);
    at = body.writeDoubleLE(6, at);
    at = body.writeUInt16LE(id.length, at);
    at += id.copy(body, at);
    at = body.writeDoubleLE(42, at);
    at = body.writeUInt32LE(json.length, at);
    json.copy(body, at);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    expect(decodeRows(Buffer.concat([length, body]))).toEqual([{ id: 1, patches: [{ id: 'job-1', seq: 6, done: 42, metrics: { ratePerSec: 2.5, errors: 1, custom: { rejected: 3 } } }] }]);
  });

  it('leaves out a last row cut short, as a crash mid-write leaves it', () => {
    const whole = encodeRow(1, [tick]);
    const cut = encodeRow(2, [rich]);
    for (const length of [1, 5, cut.length - 1]) expect(decodeRows(Buffer.concat([whole, cut.subarray(0, length)]))).toEqual([{ id: 1, patches: [patchOf(tick)] }]);
  });
});
