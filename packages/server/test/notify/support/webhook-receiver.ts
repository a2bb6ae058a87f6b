import { createServer, type IncomingMessage, type Server } from 'node:http';
import { verifyWebhook } from '../../../src/notify/channels/webhook-signature.js';
import { closeNow, listenOnLoopback } from '../../support/loopback.js';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: boolean;
}

/** A real HTTP server receiving webhooks and checking each signature with the endpoint secret. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** The status to answer (200 by default); set 410 or 503 to test the sender. */
  status = 200;
  url = '';
  private server: Server | null = null;

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const headers = { id: String(request.headers['webhook-id']), timestamp: String(request.headers['webhook-timestamp']), signature: String(request.headers['webhook-signature']) };
        this.received.push({ ...headers, body, verified: verifyWebhook(this.secret, headers, body, Math.floor(Date.now() / 1000)) });
        response.writeHead(this.status).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    this.server = server;
    this.url = `http://127.0.0.1:${await listenOnLoopback(server)}/hooks/headway`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeNow(server);
  }
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
