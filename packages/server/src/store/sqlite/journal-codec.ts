import { PROGRESS_PATCH_FIELDS, progressFieldBit } from '../progress-fields.js';
import type { JobMetrics } from '@headway/protocol';
import type { JournalEntry, JournalRow, ProgressPatch } from '../store.js';

const FIELDS = PROGRESS_PATCH_FIELDS.length;
const [PERCENT, DONE, TOTAL, UPDATED_AT, ACTIVE_AT, METRICS] = (['percent', 'done', 'total', 'updatedAt', 'activeAt', 'metrics'] as const).map(progressFieldBit) as [number, number, number, number, number, number];
/** Fields written as 8-byte floats (null as NaN); the others as JSON text, metrics mostly as numbers. */
const NUMERIC_FIELDS = PERCENT | DONE | TOTAL | UPDATED_AT | ACTIVE_AT;
/** Set in a JSON field's length: the field is metrics written as numbers (a JSON text is never 2 GB). */
const METRICS_AS_NUMBERS = 0x8000_0000;
/** UTF-16 units of a metric name that surely fit its u16 length in UTF-8 (reports allow 64). */
const MAX_NAME_UNITS = 0xffff / 3;

/**
 * A journal row as bytes: [u32 length of what follows][u32 row id][u32 patches], then per patch
 * [u32 field mask][f64 seq][u16 id length][id], then each field of the mask in
 * PROGRESS_PATCH_FIELDS order (f64, null as NaN; or [u32 length][JSON]). Read straight from the
 * records: building a patch object per job and JSON.stringify of them cost more than the rest of a
 * batched report's journaling (a tick's fields are numbers, written here as such). Metrics whose
 * custom values are all numbers (all that reports can set) go as [u32 length | METRICS_AS_NUMBERS]
 * [f64 rate][f64 errors][u32 count], then per custom metric [u16 name length][name][f64]: a
 * worker that sends metrics with every tick made JSON of them most of the journal's cost.
 */
export function encodeRow(id: number, entries: readonly JournalEntry[]): Buffer {
  const count = entries.length;
  // Per JSON field in order: its text, or null for metrics written as numbers.
  const texts: Array<string | null> = [];
  let bound = 12;
  for (let p = 0; p < count; p++) {
    const { record, fields } = entries[p]!;
    bound += 14 + 3 * record.id.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if ((fields & ~NUMERIC_FIELDS) === 0) {
      bound += 8 * FIELDS; // an upper bound, cheaper than counting bits
      continue;
    }
    for (let i = 0; i < FIELDS; i++) {
      const bit = 1 << i;
      if ((fields & bit) === 0) continue;
      if ((NUMERIC_FIELDS & bit) !== 0) bound += 8;
      else if (bit === METRICS && record.metrics && numbersOnly(record.metrics.custom)) {
        texts.push(null);
        bound += 24;
        for (const name in record.metrics.custom) bound += 10 + 3 * name.length;
      } else {
        const text = JSON.stringify(record[PROGRESS_PATCH_FIELDS[i]!] ?? null);
        texts.push(text);
        bound += 4 + 3 * text.length;
      }
    }
  }
  const buffer = Buffer.allocUnsafe(bound);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setUint32(4, id, true);
  view.setUint32(8, count, true);
  let at = 12;
  let text = 0;
  for (let p = 0; p < count; p++) {
    const { record, fields } = entries[p]!;
    view.setUint32(at, fields, true);
    view.setFloat64(at + 4, record.seq, true);
    const idLength = buffer.write(record.id, at + 14, 'utf8');
    view.setUint16(at + 12, idLength, true);
    at += 14 + idLength;
    if ((fields & ~NUMERIC_FIELDS) === 0) {
      // A tick: amounts and times only, in field order.
      if ((fields & PERCENT) !== 0) at = putNumber(view, at, record.percent);
      if ((fields & DONE) !== 0) at = putNumber(view, at, record.done);
      if ((fields & TOTAL) !== 0) at = putNumber(view, at, record.total);
      if ((fields & UPDATED_AT) !== 0) at = putNumber(view, at, record.updatedAt);
      if ((fields & ACTIVE_AT) !== 0) at = putNumber(view, at, record.activeAt);
      continue;
    }
    for (let i = 0; i < FIELDS; i++) {
      if ((fields & (1 << i)) === 0) continue;
      if ((NUMERIC_FIELDS & (1 << i)) !== 0) {
        at = putNumber(view, at, record[PROGRESS_PATCH_FIELDS[i]!] as number | null);
        continue;
      }
      const json = texts[text++]!;
      if (json === null) {
        at = putMetrics(buffer, view, at, record.metrics);
        continue;
      }
      const length = buffer.write(json, at + 4, 'utf8');
      view.setUint32(at, length, true);
      at += 4 + length;
    }
  }
  view.setUint32(0, at - 4, true);
  return buffer.subarray(0, at);
}

function putNumber(view: DataView, at: number, value: number | null): number {
  view.setFloat64(at, value ?? Number.NaN, true);
  return at + 8;
}

/** Whether metrics can go as numbers: every custom value a number, every name short enough for its u16 length. */
function numbersOnly(custom: Record<string, unknown>): boolean {
  for (const name in custom) if (typeof custom[name] !== 'number' || name.length > MAX_NAME_UNITS) return false;
  return true;
}

function putMetrics(buffer: Buffer, view: DataView, start: number, metrics: JobMetrics): number {
  let at = putNumber(view, start + 4, metrics.ratePerSec);
  at = putNumber(view, at, metrics.errors);
  const countAt = at;
  let names = 0;
  at += 4;
  for (const name in metrics.custom) {
    const length = buffer.write(name, at + 2, 'utf8');
    view.setUint16(at, length, true);
    at = putNumber(view, at + 2 + length, metrics.custom[name]!);
    names++;
  }
  view.setUint32(countAt, names, true);
  view.setUint32(start, (at - start - 4) | METRICS_AS_NUMBERS, true);
  return at;
}

function readMetrics(bytes: Buffer, start: number): JobMetrics {
  const rate = bytes.readDoubleLE(start);
  const errors = bytes.readDoubleLE(start + 8);
  const names = bytes.readUInt32LE(start + 16);
  const custom: Record<string, number> = {};
  let at = start + 20;
  for (let n = 0; n < names; n++) {
    const length = bytes.readUInt16LE(at);
    const name = bytes.toString('utf8', at + 2, at + 2 + length);
    custom[name] = bytes.readDoubleLE(at + 2 + length);
    at += 10 + length;
  }
  return { ratePerSec: Number.isNaN(rate) ? null : rate, errors, custom };
}

/** The rows in `bytes`, in order; a last row cut short (the crash came mid-write, so it was never answered) is left out. */
export function decodeRows(bytes: Buffer): JournalRow[] {
  const rows: JournalRow[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const end = at + 4 + bytes.readUInt32LE(at);
    if (end > bytes.length) break;
    rows.push(decodeRow(bytes.subarray(at + 4, end)));
    at = end;
  }
  return rows;
}

function decodeRow(bytes: Buffer): JournalRow {
  const id = bytes.readUInt32LE(0);
  const count = bytes.readUInt32LE(4);
  let at = 8;
  const patches: ProgressPatch[] = [];
  for (let n = 0; n < count; n++) {
    const mask = bytes.readUInt32LE(at);
    const seq = bytes.readDoubleLE(at + 4);
    const idLength = bytes.readUInt16LE(at + 12);
    at += 14;
    const patch: Record<string, unknown> = { id: bytes.toString('utf8', at, at + idLength) };
    at += idLength;
    if (!Number.isNaN(seq)) patch.seq = seq;
    for (let i = 0; i < PROGRESS_PATCH_FIELDS.length; i++) {
      if ((mask & (1 << i)) === 0) continue;
      const field = PROGRESS_PATCH_FIELDS[i]!;
      if ((NUMERIC_FIELDS & (1 << i)) !== 0) {
        const value = bytes.readDoubleLE(at);
        patch[field] = Number.isNaN(value) ? null : value;
        at += 8;
      } else {
        const word = bytes.readUInt32LE(at);
        const length = (word & ~METRICS_AS_NUMBERS) >>> 0;
        patch[field] = (word & METRICS_AS_NUMBERS) !== 0 ? readMetrics(bytes, at + 4) : (JSON.parse(bytes.toString('utf8', at + 4, at + 4 + length)) as unknown);
        at += 4 + length;
      }
    }
    patches.push(patch as ProgressPatch);
  }
  return { id, patches };
}
