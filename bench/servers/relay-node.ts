/**
 * The floor of the latency bench: a relay that does only what every live-progress server must
 * (parse a batch of reports, keep each job's newest state, send it as Headway's message to the
 * job's WebSocket subscribers, corked per pass) and nothing of what Headway adds (validation,
 * persistence, ETA, conflation, auth beyond one key). Run with the same reporter and subscriber
 * processes, it shows how much of the report→subscriber tail is the machine's and how much
 * is Headway's. argv: admin key. Sends `{port}` to the parent when it listens.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { reportGcPauses } from './gc-pauses.js';

interface RelayedJob {
  id: string;
  seq: number;
  done: number;
  total: number;
  percent: number;
  startedAt: number;
  updatedAt: number;
  custom: Record<string, number>;
}

interface Report {
  jobId: string;
  done: number;
  metrics?: Record<string, number>;
}

const [adminKey] = process.argv.slice(2) as [string];
reportGcPauses();
const jobs = new Map<string, RelayedJob>();
const subscribers = new Map<string, WebSocket[]>();

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : {}));
    req.once('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Headway's progress message, with a plain linear ETA. */
function progressText(job: RelayedJob, at: number): string {
  const ratePerMs = job.done / Math.max(1, at - job.startedAt);
  const remainingMs = ratePerMs > 0 ? Math.round((job.total - job.done) / ratePerMs) : null;
  const eta = remainingMs === null ? null : { remainingMs, low: Math.round(remainingMs * 0.8), high: Math.round(remainingMs * 1.2), confidence: 0.5, method: 'linear', at };
  const channel = `job:${job.id}`;
  const state = { percent: job.percent, done: job.done, total: job.total, unit: null, currentStep: null, message: null, eta, metrics: { ratePerSec: ratePerMs * 1000, errors: 0, custom: job.custom }, counts: null, updatedAt: job.updatedAt };
  return JSON.stringify({ type: 'progress', channel, jobId: job.id, seq: job.seq, update: { jobId: job.id, seq: job.seq, at, job: state } });
}

/** After the pass that applied a batch: one message per report, each subscriber's socket corked for the pass. */
function relay(reports: Report[]): void {
  const at = Date.now();
  const corked = new Set<Socket>();
  for (const report of reports) {
    const job = jobs.get(report.jobId);
    const followers = job && subscribers.get(`job:${job.id}`);
    if (!followers) continue;
    const text = progressText(job, at);
    for (const ws of followers) {
      const socket = (ws as unknown as { _socket: Socket })._socket;
      if (!corked.has(socket)) {
        corked.add(socket);
        socket.cork();
      }
      ws.send(text);
    }
  }
  for (const socket of corked) socket.uncork();
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${adminKey}`) return answer(res, 401, { error: { code: 'UNAUTHORIZED', message: 'bad token' } });
  const body = await readJson(req);
  const url = req.url ?? '';
  const now = Date.now();
  if (url === '/v1/jobs') {
    const job: RelayedJob = { id: randomUUID(), seq: 1, done: 0, total: (body as { total: number }).total, percent: 0, startedAt: now, updatedAt: now, custom: {} };
    jobs.set(job.id, job);
    return answer(res, 201, { id: job.id });
  }
  const started = /^\/v1\/jobs\/([^/]+)\/start$/.exec(url);
  if (started) {
    const job = jobs.get(started[1]!);
    if (!job) return answer(res, 404, { error: { code: 'JOB_NOT_FOUND', message: 'no such job' } });
    job.seq = 2;
    job.startedAt = now;
    return answer(res, 200, { id: job.id, seq: job.seq });
  }
  if (url === '/v1/progress') {
    const reports = body as Report[];
    const answers = reports.map((report) => {
      const job = jobs.get(report.jobId);
      if (!job) return { jobId: report.jobId, error: { code: 'JOB_NOT_FOUND', message: 'no such job' } };
      job.done = report.done;
      job.percent = (100 * report.done) / job.total;
      job.updatedAt = now;
      if (report.metrics) job.custom = { ...job.custom, ...report.metrics };
      return { jobId: job.id, seq: job.seq, control: 'run' };
    });
    queueMicrotask(() => relay(reports));
    return answer(res, 200, answers);
  }
  answer(res, 404, { error: { code: 'NOT_FOUND', message: url } });
}

const server = createServer((req, res) => void handle(req, res).catch(() => answer(res, 400, { error: { code: 'BAD_REQUEST', message: 'unreadable body' } })));
const wss = new WebSocketServer({ server, path: '/v1/stream' });
wss.on('connection', (ws, req) => {
  if (!req.url?.includes(`token=${adminKey}`)) return ws.close(4401);
  ws.on('message', (data) => {
    const { channel } = JSON.parse(String(data)) as { channel: string };
    const job = jobs.get(channel.slice('job:'.length));
    if (!job) return;
    const followers = subscribers.get(channel) ?? [];
    subscribers.set(channel, [...followers, ws]);
    ws.send(JSON.stringify({ type: 'snapshot', channel, jobs: [job], seq: job.seq }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => process.exit(0));
