/**
 * A worker fleet in its own process: posts batches of progress reports at a steady rate, each
 * report stamped with its send time (taken before the request, so the measured latency
 * includes the HTTP request and its acceptance). fetch keeps its connections alive, like a
 * worker fleet posting steadily. argv: url, token. Parent → child:
 * `{ids, rate, seconds, batch}`; child → parent: `{type:'done', sent, failed, p99RequestMs}`.
 */
import { percentile } from '../child.js';
import { paced } from '../pacer.js';
import { machineMs } from './clock.js';

interface Run {
  ids: string[];
  rate: number;
  seconds: number;
  batch: number;
}

const [url, token] = process.argv.slice(2) as [string, string];

async function run({ ids, rate, seconds, batch }: Run): Promise<void> {
  const groups = Math.ceil(ids.length / batch);
  const requestMs: number[] = [];
  let failed = 0;
  const sent = await paced(rate / batch, seconds, async (n) => {
    const sentAt = machineMs();
    const sentWall = Date.now(); // comparable with the server's own (wall-clock) stamps
    const group = n % groups;
    const body = ids.slice(group * batch, group * batch + batch).map((jobId) => ({ jobId, done: n, metrics: { sentAt, sentWall } }));
    const res = await fetch(`${url}/v1/progress`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    if (!res.ok) failed++;
    requestMs.push(machineMs() - sentAt);
  });
  requestMs.sort((a, b) => a - b);
  process.send?.({ type: 'done', sent: sent * batch, failed, p99RequestMs: percentile(requestMs, 99) });
}

process.on('message', (message: Run | { type: 'exit' }) => {
  if ('type' in message) process.exit(0);
  else void run(message);
});
process.send?.({ type: 'started' });
