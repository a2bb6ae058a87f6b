import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { streamPressureOf, type StreamPressure } from '../../src/http/stream/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap and resident memory after a full collection, in MB. */
export function memoryMb(): { heap: number; rss: number } {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed / 2 ** 20, rss: rss / 2 ** 20 };
}

/** Keeps the highest queue length and socket backlog seen on an app's live connections. */
export class PressureSampler {
  maxPendingMessages = 0;
  maxBufferedBytes = 0;

  constructor(private readonly app: FastifyInstance) {}

  sample(): StreamPressure {
    const pressure = streamPressureOf(this.app);
    if (!pressure) throw new Error('this app has no stream routes');
    this.maxPendingMessages = Math.max(this.maxPendingMessages, pressure.maxPendingMessages);
    this.maxBufferedBytes = Math.max(this.maxBufferedBytes, pressure.maxBufferedBytes);
    return pressure;
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
