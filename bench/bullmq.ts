import { Queue, QueueEvents, type Job } from 'bullmq';
import { fmt } from './machine.js';
import { percentile, startRedis } from './child.js';
import { nowMs, paced } from './pacer.js';

/**
 * The reference a user compares us with: BullMQ's job.updateProgress() → QueueEvents
 * 'progress' through a local Redis. Returns sustained updates/s and end-to-end latency.
 */
export interface BullmqFigures {
  updatesPerSec: number;
  /** Latency at a paced 10,000 updates/s. */
  p50: number;
  p95: number;
  p99: number;
}

export async function benchBullmq(seconds = 5, inFlight = 64, pacedRate = 10_000): Promise<BullmqFigures> {
  const redis = await startRedis();
  const url = new URL(redis.url);
  const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
  const name = `bench-${process.pid}`;
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const latencies: number[] = [];
  let measuring = false;
  events.on('progress', ({ data }) => {
    const sentAt = (data as { t?: number }).t;
    if (typeof sentAt === 'number' && measuring) latencies.push(nowMs() - sentAt);
  });
  try {
    const jobs: Job[] = [];
    for (let i = 0; i < 1_000; i++) jobs.push(await queue.add('work', { i }));
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
    await new Promise((r) => setTimeout(r, 500));
    measuring = true;
    await paced(pacedRate, seconds, (n) => jobs[n % jobs.length]!.updateProgress({ done: n, t: nowMs() }));
    await new Promise((r) => setTimeout(r, 500));
    measuring = false;
    latencies.sort((a, b) => a - b);
    const result = { updatesPerSec, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
    console.log(`bullmq reference: ${fmt(updatesPerSec)} updateProgress/s (${inFlight} in flight); at ${fmt(pacedRate)} updates/s QueueEvents latency p50 ${fmt(result.p50, 1)} ms, p95 ${fmt(result.p95, 1)} ms, p99 ${fmt(result.p99, 1)} ms (${fmt(latencies.length)} samples)`);
    return result;
  } finally {
    await events.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.stop();
  }
}
