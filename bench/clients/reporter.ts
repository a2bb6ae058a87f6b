/**
 * A worker fleet in its own process: posts batches of progress reports at a steady rate, each
 * report stamped with its send time (taken before the request, so the measured latency
 * includes the HTTP request and its acceptance). Plain node:http on kept-alive connections, like
 * a worker fleet posting steadily (fetch costs several times the CPU, taken from the server
 * on this shared machine). argv: url, token. Parent → child:
 * `{ids, rate, seconds, batch}`; child → parent: `{type:'done', sent, failed, p99RequestMs}`.
 */
import { Agent, request } from 'node:http';
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
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** POSTs a JSON body; resolves with the status once the whole answer was read. */
function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function run({ ids, rate, seconds, batch }: Run): Promise<void> {
  const groups = Math.ceil(ids.length / batch);
  const requestMs: number[] = [];
  let failed = 0;
  const sent = await paced(rate / batch, seconds, async (n) => {
    const sentAt = machineMs();
    const sentWall = Date.now(); // comparable with the server's own (wall-clock) stamps
    const group = n % groups;
    const body = ids.slice(group * batch, group * batch + batch).map((jobId) => ({ jobId, done: n, metrics: { sentAt, sentWall } }));
    const status = await post('/v1/progress', JSON.stringify(body));
    if (status !== 200) failed++;
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
