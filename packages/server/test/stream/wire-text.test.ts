import type { Channel, Job, JobEvent, ProgressUpdate } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
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

  it('writes progress of every shape as JSON.stringify does, on one channel and on several', () => {
    const shapes: Array<Partial<ProgressUpdate['job']>> = [
      {},
      { eta: null, total: null, unit: null, currentStep: null, message: null },
      { counts: { total: 300, pending: 10, running: 5, paused: 0, completed: 280, failed: 5, cancelled: 0 } },
      { percent: Number.NaN, done: Number.POSITIVE_INFINITY, total: -0, updatedAt: 1e21 },
      { message: 'lone \ud800 surrogate, tab\t, nul \u0000, emoji 🎬', currentStep: '</script>' },
      { metrics: { ratePerSec: null, errors: 3, custom: {} } },
      { metrics: { ratePerSec: 1e-7, errors: 0, custom: { 'odd "key"': 1.5, '\u2028': -2, nan: Number.NaN, gone: undefined as unknown as number } } },
      { eta: { remainingMs: 0.1 + 0.2, low: 0, high: 1e300, confidence: 1, method: 'prior', at: 5 } },
    ];
    for (const shape of shapes) {
      const message: BusMessage = { type: 'progress', update: { ...update, seq: 0, job: { ...update.job, ...shape } }, owner: null, parentId: 'p' };
      for (const several of [false, true]) {
        const out = outgoingOf(message, 'job:job-1', several)!;
        expect(out.render!()).toBe(JSON.stringify(out.message));
      }
    }
  });

  it('falls back to JSON.stringify for a shape it does not know', () => {
    const odd = { ...update, job: { ...update.job, metrics: { ratePerSec: null, errors: 0 } as unknown as ProgressUpdate['job']['metrics'] } };
    const out = outgoingOf({ type: 'progress', update: odd, owner: null, parentId: null }, 'job:job-1')!;
    expect(out.render!()).toBe(JSON.stringify(out.message));
  });

  it('serializes the body of one bus message once for all its channels', () => {
    let serialized = 0;
    const metrics = {
      ratePerSec: 41.7,
      errors: 0,
      get custom() {
        serialized++;
        return { bytes: 4096 };
      },
    };
    const message: BusMessage = { type: 'progress', update: { ...update, job: { ...update.job, metrics } }, owner: 'ada', parentId: null };
    const texts = (['job:job-1', 'user:ada', 'jobs'] as Channel[]).map((channel) => textOf(message, channel));
    expect(serialized).toBe(1);
    expect(texts.map((text) => (JSON.parse(text) as { channel: string }).channel)).toEqual(['job:job-1', 'user:ada', 'jobs']);
  });
});
