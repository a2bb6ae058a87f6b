import { BatchProgressBody } from '@headway/protocol';

/** How much one POST /v1/progress may carry. */
export interface BatchLimits {
  maxItems: number;
  /** Bytes of the JSON body. */
  maxBytes: number;
}

/**
 * The item limit is the protocol's own; the body limit is the server's setting (1 MiB by
 * default), unknown here, so stay a little under the default: a server set lower answers 413
 * and the outbox halves the batch and lowers this for later ones.
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxItems: BatchProgressBody.maxItems ?? 5_000, maxBytes: 1_000_000 };

/** Cuts `items` (in order) into batches within `limits`; an item larger than the byte limit goes alone. */
export function splitBatch<T extends { bytes: number }>(items: readonly T[], limits: BatchLimits): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let batchBytes = 2; // []
  for (const item of items) {
    if (batch.length > 0 && (batch.length >= limits.maxItems || batchBytes + 1 + item.bytes > limits.maxBytes)) {
      batches.push(batch);
      batch = [];
      batchBytes = 2;
    }
    batchBytes += item.bytes + (batch.length > 0 ? 1 : 0); // and the comma before it
    batch.push(item);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Bytes of `text` in UTF-8, without encoding it. */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // Below 0x800: 2 bytes; a surrogate half: 2 (a pair is 4); the rest of the BMP: 3.
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
