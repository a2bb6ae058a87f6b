/**
 * WebSocket subscribers in their own process, so the latency bench measures the server and
 * not a load generator competing with them for the event loop. argv: url, token, count.
 * Parent → child: `{ids}` (spread over the subscribers, one `job:` channel each), then
 * `{type:'start'}` / `{type:'stop'}`; child → parent: `{type:'ready'}` once every channel's
 * snapshot arrived, and `{type:'samples', latencies, applied, announced, received}` after a stop.
 */
import WebSocket from 'ws';
import { machineMs } from './clock.js';

type Command = { type: 'subscribe'; ids: string[] } | { type: 'start' } | { type: 'stop' } | { type: 'exit' };

const [url, token, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const sockets: WebSocket[] = [];
/**
 * Samples of one round, in arrays allocated once: pushing 150,000 numbers into growing JS arrays
 * made this process collect garbage as it measured (its GC overlapped 30% of the slowest 1%).
 */
const CAPACITY = 1_000_000;
const latencies = new Float64Array(CAPACITY);
/** The send time of each sample's batch (one per request), to tell batches sent back to back. */
const sentAts = new Float64Array(CAPACITY);
/** Where the time went, on the wall clock the server stamps with (whole ms): sent → applied → announced → received. */
const segments = { applied: new Float64Array(CAPACITY), announced: new Float64Array(CAPACITY), received: new Float64Array(CAPACITY) };
let samples = 0;
let measuring = false;
let snapshots = 0;
let expectedSnapshots = Infinity;

/** A progress message carries the reporter's send time in its custom metrics. */
interface ProgressMessage {
  type: string;
  update?: { at: number; job?: { updatedAt: number; metrics?: { custom?: { sentAt?: number; sentWall?: number } } } };
}

async function subscribe(ids: string[]): Promise<void> {
  expectedSnapshots = ids.length;
  const perSocket = Math.ceil(ids.length / count);
  for (let s = 0; s < count; s++) {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream?token=${token}`);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.on('message', (data) => {
      const arrived = machineMs();
      const arrivedWall = Date.now();
      const message = JSON.parse(String(data)) as ProgressMessage;
      if (message.type === 'snapshot' && ++snapshots === expectedSnapshots) process.send?.({ type: 'ready' });
      const sentAt = message.type === 'progress' ? message.update?.job?.metrics?.custom?.sentAt : undefined;
      if (!measuring || typeof sentAt !== 'number' || samples === CAPACITY) return;
      const { at, job } = message.update!;
      latencies[samples] = arrived - sentAt;
      sentAts[samples] = sentAt;
      segments.applied[samples] = job!.updatedAt - job!.metrics!.custom!.sentWall!;
      segments.announced[samples] = at - job!.updatedAt;
      segments.received[samples] = arrivedWall - at;
      samples++;
    });
    for (const id of ids.slice(s * perSocket, (s + 1) * perSocket)) ws.send(JSON.stringify({ type: 'subscribe', channel: `job:${id}` }));
    sockets.push(ws);
  }
}

process.on('message', (command: Command) => {
  if (command.type === 'subscribe') void subscribe(command.ids);
  else if (command.type === 'start') {
    samples = 0;
    measuring = true;
  } else if (command.type === 'stop') {
    measuring = false;
    const taken = (values: Float64Array) => Array.from(values.subarray(0, samples));
    process.send?.({ type: 'samples', latencies: taken(latencies), sentAt: taken(sentAts), applied: taken(segments.applied), announced: taken(segments.announced), received: taken(segments.received) });
  } else if (command.type === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
process.send?.({ type: 'started' });
