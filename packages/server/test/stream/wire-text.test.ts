import type { Channel, Job, JobEvent, ProgressUpdate } from '@headway/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { outgoingOf } from '../../src/http/stream/subscription.js';

const update: ProgressUpdate = {
  jobId: 'job-1',
  seq: 7,
  at: 1_700_000_000_123,
  job: {
    percent: 12.5,
    done: 125,
    total: 1000,
    unit: 'rows',
    currentStep: 'import "quoted" \\ step',
    message: 'row 125 ✓ \u2028',
    eta: { remainingMs: 9_000, low: 7_000, high: 12_000, confidence: 0.6, method: 'ewma', at: 1_700_000_000_100 },
    metrics: { ratePerSec: 41.7, errors: 0, custom: { bytes: 4096 } },
    counts: null,
    updatedAt: 1_700_000_000_123,
  },
};

const event = (cursor?: number): JobEvent => ({ jobId: 'job-1', seq: 8, at: 1_700_000_000_200, ...(cursor !== undefined ? { cursor } : {}), kind: 'transition', from: 'running', to: 'paused' }) as unknown as JobEvent;
const job = { id: 'job-1', owner: 'ada', status: 'paused', title: 'Import <b>', tags: ['a'] } as unknown as Job;

function textOf(message: BusMessage, channel: Channel): string {
  const out = outgoingOf(message, channel, true)!;
  return out.render ? out.render() : JSON.stringify(out.message);
}

describe('wire text of live messages', () => {
  it('is exactly JSON.stringify of the wire message, for progress and for events with and without a cursor', () => {
    const messages: BusMessage[] = [
      { type: 'progress', update, owner: 'ada', parentId: null },
      { type: 'event', event: event(), job },
      { type: 'event', event: event(4_242), job },
    ];
    for (const message of messages) {
      for (const channel of ['job:job-1', 'user:ada', 'jobs'] as Channel[]) {
        const out = outgoingOf(message, channel, true)!;
        expect(textOf(message, channel)).toBe(JSON.stringify(out.message));
      }
    }
  });

  it('serializes the body of one bus message once for all its channels', () => {
    const message: BusMessage = { type: 'progress', update, owner: 'ada', parentId: null };
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const texts = (['job:job-1', 'user:ada', 'jobs'] as Channel[]).map((channel) => textOf(message, channel));
      const bodies = stringify.mock.calls.filter(([value]) => value === update);
      expect(bodies).toHaveLength(1);
      expect(texts.map((text) => (JSON.parse(text) as { channel: string }).channel)).toEqual(['job:job-1', 'user:ada', 'jobs']);
    } finally {
      stringify.mockRestore();
    }
  });
});
