import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../../server/test/support/loopback.js';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
  at: number;
}

export type Responder = (request: RecordedRequest) => { status?: number; body?: unknown } | undefined;

/**
 * A real HTTP server on a free loopback port that records what the client sends and answers
 * like Headway's progress routes do (or as `respond` says). For client-side rules (throttle,
 * batching, error mapping) that need to see every request on the wire.
 */
export async function startRecordingServer(respond: Responder = () => undefined): Promise<{ url: string; requests: RecordedRequest[]; control: { value: 'run' | 'pause' | 'cancel' }; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const control = { value: 'run' as 'run' | 'pause' | 'cancel' };
  let seq = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: text ? JSON.parse(text) : undefined, headers: req.headers, at: Date.now() };
      requests.push(request);
      const answer = respond(request) ?? defaultAnswer(request, ++seq, control.value);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    control,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function defaultAnswer(request: RecordedRequest, seq: number, control: string): { status: number; body: unknown } {
  if (request.path === '/v1/progress' && Array.isArray(request.body)) {
    return { status: 200, body: request.body.map((item: { jobId: string }) => ({ jobId: item.jobId, seq, control })) };
  }
  if (request.path.endsWith('/progress')) return { status: 200, body: { seq, control } };
  return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.path}` } } };
}
