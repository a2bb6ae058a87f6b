import { randomBytes } from 'node:crypto';
import { Packr } from 'msgpackr';
import type { BusMessage } from './bus.js';

/** Bytes of the publishing node's tag at the start of every Redis message. */
const TAG_BYTES = 16;

/**
 * Self-describing records (each Redis message defines the shapes it uses; no state is shared
 * between messages, so any node can decode any message in any order). MessagePack with records
 * is a third of the JSON size, and decodes about three times faster than JSON.parse.
 */
const packr = new Packr({ useRecords: true });

/** A random tag that tells a node its own messages apart when Redis echoes them back. */
export function newNodeTag(): Buffer {
  return randomBytes(TAG_BYTES);
}

/** One Redis message: the node's tag, then the messages as one MessagePack array. */
export function encodeMessages(nodeTag: Buffer, messages: BusMessage[]): Buffer {
  return Buffer.concat([nodeTag, packr.pack(messages)]);
}

/** True for a message this node published (checked without decoding it). */
export function isFromNode(data: Buffer, nodeTag: Buffer): boolean {
  return data.length >= TAG_BYTES && data.compare(nodeTag, 0, TAG_BYTES, 0, TAG_BYTES) === 0;
}

/** The messages of one Redis message; throws on one that is not ours or not whole. */
export function decodeMessages(data: Buffer): BusMessage[] {
  if (data.length <= TAG_BYTES) throw new Error(`a bus message of ${data.length} bytes is too short`);
  const messages: unknown = packr.unpack(data.subarray(TAG_BYTES));
  if (!Array.isArray(messages)) throw new Error('a bus message is not an array of messages');
  return messages as BusMessage[];
}
