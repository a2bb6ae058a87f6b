import { PROGRESS_PATCH_FIELDS, progressFieldBit } from '../progress-fields.js';
import type { JournalEntry, JournalRow, ProgressPatch } from '../store.js';

const FIELDS = PROGRESS_PATCH_FIELDS.length;
const [PERCENT, DONE, TOTAL, UPDATED_AT, ACTIVE_AT] = (['percent', 'done', 'total', 'updatedAt', 'activeAt'] as const).map(progressFieldBit) as [number, number, number, number, number];
/** Fields written as 8-byte floats (null as NaN); the others as JSON text. */
const NUMERIC_FIELDS = PERCENT | DONE | TOTAL | UPDATED_AT | ACTIVE_AT;

/**
 * A journal row as bytes: [u32 length of what follows][u32 row id][u32 patches], then per patch
 * [u32 field mask][f64 seq][u16 id length][id], then each field of the mask in
 * PROGRESS_PATCH_FIELDS order (f64, null as NaN; or [u32 length][JSON]). Read straight from the
 * records: building a patch object per job and JSON.stringify of them cost more than the rest of a
 * batched report's journaling (a tick's fields are numbers, written here as such).
 */
export function encodeRow(id: number, entries: readonly JournalEntry[]): Buffer {
  const count = entries.length;
  const texts: string[] = [];
  let bound = 12;
  for (let p = 0; p < count; p++) {
    const { record, fields } = entries[p]!;
    bound += 14 + 3 * record.id.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if ((fields & ~NUMERIC_FIELDS) === 0) {
      bound += 8 * FIELDS; // an upper bound, cheaper than counting bits
      continue;
    }
    for (let i = 0; i < FIELDS; i++) {
      if ((fields & (1 << i)) === 0) continue;
      if ((NUMERIC_FIELDS & (1 << i)) !== 0) bound += 8;
      else {
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
      if ((NUMERIC_FIELDS & (1 << i)) !== 0) at = putNumber(view, at, record[PROGRESS_PATCH_FIELDS[i]!] as number | null);
      else {
        const length = buffer.write(texts[text++]!, at + 4, 'utf8');
        view.setUint32(at, length, true);
        at += 4 + length;
      }
    }
  }
  view.setUint32(0, at - 4, true);
  return buffer.subarray(0, at);
}

function putNumber(view: DataView, at: number, value: number | null): number {
  view.setFloat64(at, value ?? Number.NaN, true);
  return at + 8;
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
        const length = bytes.readUInt32LE(at);
        patch[field] = JSON.parse(bytes.toString('utf8', at + 4, at + 4 + length)) as unknown;
        at += 4 + length;
      }
    }
    patches.push(patch as ProgressPatch);
  }
  return { id, patches };
}
