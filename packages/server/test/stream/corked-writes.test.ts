import type { ProgressUpdate, StreamMessage } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { passBatcher } from '../../src/http/stream/corked-writes.js';
import { DEFAULT_STREAM_OPTIONS } from '../../src/http/stream/options.js';
import { Outbox, outgoing } from '../../src/http/stream/outbox.js';

/** A socket that logs what reaches the kernel: writes made while corked go out at uncork, together. */
function loggingSocket(name: string, log: string[]) {
  let corks = 0;
  let held: string[] = [];
  return {
    destroyed: false,
    cork: () => void corks++,
    uncork: () => {
      if (--corks > 0) return;
      log.push(`${name}: ${held.join('+')}`);
      held = [];
    },
    write: (text: string) => (corks > 0 ? held.push(text) : log.push(`${name}: ${text}`)),
    corkedBytes: () => held.join('').length,
  };
}

function connection(name: string, log: string[], highWaterBytes = DEFAULT_STREAM_OPTIONS.highWaterBytes) {
  const socket = loggingSocket(name, log);
  const batcher = passBatcher(socket);
  const outbox = new Outbox(
    {
      send: (_message, text) => {
        batcher.batch();
        socket.write(text);
      },
      flush: batcher.flush,
      // Like a socket's: what waits in the cork counts until the uncork hands it to the kernel.
      bufferedBytes: () => socket.corkedBytes(),
    },
    { ...DEFAULT_STREAM_OPTIONS, highWaterBytes },
    () => undefined,
  );
  return outbox;
}

const progress = (jobId: string): StreamMessage => ({ type: 'progress', channel: `job:${jobId}`, jobId, seq: 1, update: { jobId } as ProgressUpdate });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('socket writes of one pass', () => {
  it('go out as one write per connection, each as soon as its own queue is drained', async () => {
    const log: string[] = [];
    const first = connection('first', log);
    const second = connection('second', log);
    // One announcement reaching two connections with two jobs each.
    const serialized = (name: string, jobId: string) => () => (log.push(`${name} serializes ${jobId}`), jobId);
    for (const jobId of ['a', 'b']) {
      first.push(outgoing(progress(jobId), serialized('first', jobId)));
      second.push(outgoing(progress(jobId), serialized('second', jobId)));
    }
    await settle();
    // The first connection's write does not wait for the second connection's messages.
    expect(log).toEqual(['first serializes a', 'first serializes b', 'first: a+b', 'second serializes a', 'second serializes b', 'second: a+b']);
  });

  it('a durable message written outside a drain is still sent when the pass ends', async () => {
    const log: string[] = [];
    const outbox = connection('only', log);
    outbox.push(outgoing({ type: 'event', channel: 'job:a', jobId: 'a', seq: 2 } as unknown as StreamMessage, () => 'transition'));
    outbox.push(outgoing({ type: 'event', channel: 'job:a', jobId: 'a', seq: 3 } as unknown as StreamMessage, () => 'completed'));
    expect(log).toEqual([]);
    await settle();
    expect(log).toEqual(['only: transition+completed']);
  });

  it('a pass that fills the cork past the high-water mark is written in several writes, none left behind', async () => {
    const log: string[] = [];
    const outbox = connection('busy', log, 2);
    for (const seq of [1, 2, 3, 4, 5]) outbox.push(outgoing({ type: 'event', channel: 'job:a', jobId: 'a', seq } as unknown as StreamMessage, () => `e${seq}`));
    await settle();
    expect(log).toEqual(['busy: e1', 'busy: e2', 'busy: e3', 'busy: e4', 'busy: e5']);
    expect(outbox.pending).toBe(0);
  });

  it('progress that fills the cork midway goes out in several writes, oldest first, each job once', async () => {
    const log: string[] = [];
    const outbox = connection('busy', log, 3);
    for (const jobId of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) outbox.push(outgoing(progress(jobId), () => jobId));
    outbox.push(outgoing(progress('b'), () => 'B')); // newer progress of b replaces its pending one, in b's place
    await settle();
    expect(log).toEqual(['busy: a+B+c', 'busy: d+e+f', 'busy: g']);
    expect(outbox.pending).toBe(0);
  });

  it('flushing twice, or after the stream closed, writes nothing more', async () => {
    const log: string[] = [];
    const socket = loggingSocket('s', log);
    const batcher = passBatcher(socket);
    batcher.batch();
    socket.write('x');
    batcher.flush();
    batcher.flush();
    await settle(); // the pass's own uncork finds nothing corked
    expect(log).toEqual(['s: x']);
    socket.destroyed = true;
    batcher.batch();
    batcher.flush();
    expect(log).toEqual(['s: x']);
  });
});
