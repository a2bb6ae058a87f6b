import type { Job, JobEvent } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { decodeMessages, encodeMessages, isFromNode, newNodeTag } from '../../src/bus/wire-format.js';

const messages: BusMessage[] = [
  { type: 'event', event: { kind: 'log', level: 'info', message: 'héllo → 世界', jobId: 'j1', seq: 7, at: 1_763_866_000_123, cursor: 41 } as JobEvent, job: { id: 'j1', seq: 7, tags: ['a'] } as unknown as Job },
  { type: 'progress', owner: 'key-1', parentId: null, update: { jobId: 'j1', seq: 7, at: 1_763_866_000_124, job: { percent: 12.345678, done: 2 ** 40, metrics: { custom: { sentAt: 123_456.789 } } } as never } },
];

describe('bus wire format', () => {
  it('decodes what it encodes, numbers and text exactly', () => {
    const tag = newNodeTag();
    expect(decodeMessages(encodeMessages(tag, messages))).toEqual(messages);
  });

  it('tells a node its own messages apart without decoding them', () => {
    const mine = newNodeTag();
    const theirs = newNodeTag();
    expect(isFromNode(encodeMessages(mine, messages), mine)).toBe(true);
    expect(isFromNode(encodeMessages(theirs, messages), mine)).toBe(false);
  });

  it('refuses a message that is cut short or is not an array of messages', () => {
    const tag = newNodeTag();
    expect(() => decodeMessages(tag)).toThrow(/too short/);
    expect(() => decodeMessages(Buffer.concat([tag, Buffer.from([0x2a])]))).toThrow(/not an array/);
    const whole = encodeMessages(tag, messages);
    expect(() => decodeMessages(whole.subarray(0, whole.length - 5))).toThrow();
  });
});
