import { createServer, type Server } from 'node:http';
import { closeNow, listenOnLoopback } from '../../support/loopback.js';
import { readBody } from './webhook-receiver.js';

export interface ReceivedSms {
  accountSid: string;
  to: string;
  from: string;
  body: string;
}

/**
 * A local HTTP server speaking Twilio's Messages API (an SMS provider we cannot run here):
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body, HTTP basic
 * auth with the account SID and auth token; answers 201 with a message resource, 401 otherwise.
 */
export class TwilioReceiver {
  readonly messages: ReceivedSms[] = [];
  baseUrl = '';
  private server: Server | null = null;

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.url ?? '');
        const expectedAuth = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
        if (request.method !== 'POST' || !match) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404,"message":"not found","status":404}');
        if (request.headers.authorization !== expectedAuth || match[1] !== this.accountSid) {
          return void response.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003,"message":"Authenticate","status":401}');
        }
        const form = new URLSearchParams(raw);
        const sms = { accountSid: match[1]!, to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '' };
        this.messages.push(sms);
        const sid = `SM${String(this.messages.length).padStart(32, '0')}`;
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid, account_sid: sms.accountSid, to: sms.to, from: sms.from, body: sms.body, status: 'queued' }));
      });
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${await listenOnLoopback(server)}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeNow(server);
  }
}
