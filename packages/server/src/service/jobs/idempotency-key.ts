import { createHash } from 'node:crypto';
import { HeadwayError, type CreateJobBody } from '@headway/protocol';
import type { IdempotencyKeyRow } from '../../store/store.js';
import type { Actor } from '../actor.js';

/** Visible ASCII, no spaces (a UUID, a hash, `import-2024-05-01`): what clients send as an Idempotency-Key. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Refuses a key a client could not have meant (empty, too long, spaces or other characters). */
export function checkIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new HeadwayError('VALIDATION_FAILED', 'the Idempotency-Key header must be 1 to 255 visible ASCII characters without spaces (a UUID, for one); change it, or drop the header');
  }
}

/** The key in the caller's own namespace: two API keys or two users sending the same key create two jobs. */
export function scopedKeyOf(actor: Actor, key: string): string {
  const caller = actor.kind === 'key' ? `key:${actor.keyId}` : actor.kind === 'user' ? `user:${actor.userId}` : actor.kind;
  return `${caller} ${key}`; // the key has no spaces, so the last one splits them
}

/** A digest of the request as sent: the same key again must come with the same body. */
export function requestHashOf(body: CreateJobBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
}

/** Refuses a key sent again with another request: answering the first job would hide the difference. */
export function checkSameRequest(row: IdempotencyKeyRow, requestHash: string): void {
  if (row.requestHash === requestHash) return;
  throw new HeadwayError(
    'CONFLICT',
    `this Idempotency-Key was sent before with another body, which created job ${row.jobId}; send a new key for a new job, or the same body to get that job`,
    { jobId: row.jobId },
  );
}
