import { Queue, QueueEvents, type Job } from 'bullmq';
import { fmt } from './machine.js';
import { startRedis } from './child.js';
import { nowMs, paced } from './pacer.js';

/**
 * The reference a user compares us with: BullMQ's job.updateProgress() → QueueEvents
 * 'progress' through a local Redis, over 1,000 jobs. `throughput` is sustained updates/s;
 * `latencies` is one paced round of end-to-end latencies (taken in turns with Headway's), with
 * the same round measured from Redis's acceptance of each update (its stream entry's id is
 * Redis's wall clock, in whole ms).
 */
export interface BullmqReference {
  throughput(seconds?: number, inFlight?: number): Promise<number>;
  latencies(rate: number, seconds: number): Promise<{ fromSend: number[]; fromAcceptance: number[] }>;
  stop(): Promise<void>;
}

/** More updates than a latency round sends. */
const SAMPLE_CAPACITY = 1_000_000;

export async function startBullmq(): Promise<BullmqReference> {
  const redis = await startRedis();
  const url = new URL(redis.url);
  const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
  const name = `bench-${process.pid}`;
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  // Samples go into arrays allocated once, as in Headway's subscriber process (bench/clients/subscribers.ts).
  const fromSend = new Float64Array(SAMPLE_CAPACITY);
  const fromAcceptance = new Float64Array(SAMPLE_CAPACITY);
  let samples = 0;
  let measuring = false;
  let lastEventAt = 0;
  events.on('progress', ({ data }, id: string) => {
    lastEventAt = performance.now();
    const sentAt = (data as { t?: number }).t;
    if (typeof sentAt !== 'number' || !measuring || samples === SAMPLE_CAPACITY) return;
    fromSend[samples] = nowMs() - sentAt;
    fromAcceptance[samples] = Date.now() - Number(id.split('-')[0]);
    samples++;
  });
  const jobs: Job[] = [];
  for (let i = 0; i < 1_000; i++) jobs.push(await queue.add('work', { i }));

  /** Resolves once no progress event arrived for 300 ms. */
  const quiet = async () => {
    while (performance.now() - lastEventAt < 300) await new Promise((r) => setTimeout(r, 100));
  };

  return {
    async throughput(seconds = 5, inFlight = 64) {
      let updates = 0;
      const started = performance.now();
      const deadline = started + seconds * 1000;
      const lane = async (offset: number) => {
        for (let n = offset; performance.now() < deadline; n += inFlight) {
          await jobs[n % jobs.length]!.updateProgress({ done: n });
          updates++;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, (_, i) => lane(i)));
      const updatesPerSec = updates / ((performance.now() - started) / 1000);
      console.log(`bullmq reference: ${fmt(updatesPerSec)} updateProgress/s (${inFlight} in flight)`);
      // QueueEvents reads the stream behind the producers: a latency round must not start with its backlog.
      await quiet();
      return updatesPerSec;
    },
    async latencies(rate, seconds) {
      samples = 0;
      measuring = true;
      await paced(rate, seconds, (n) => jobs[n % jobs.length]!.updateProgress({ done: n, t: nowMs() }));
      await new Promise((r) => setTimeout(r, 500)); // the last events in flight
      measuring = false;
      const measured = { fromSend: Array.from(fromSend.subarray(0, samples)), fromAcceptance: Array.from(fromAcceptance.subarray(0, samples)) };
      await quiet();
      return measured;
    },
    async stop() {
      await events.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      redis.stop();
    },
  };
}
