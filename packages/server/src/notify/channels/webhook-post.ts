import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTargetPolicy } from './webhook-target.js';

export interface PostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
}

/**
 * POSTs `body` to `url`, connecting only to the address the policy approved (resolved once, then
 * pinned). Credentials in the URL go as HTTP basic auth. The answer's body is discarded unread:
 * nothing of it may reach a user (SSRF). Redirects are not followed.
 */
export async function postWebhook(url: URL, headers: Record<string, string>, body: string, options: { policy: WebhookTargetPolicy; timeoutMs: number }): Promise<PostAnswer> {
  const startedAt = Date.now();
  const target = await withTimeout(options.policy.resolve(url.hostname), options.timeoutMs, `no DNS answer for ${url.hostname}`);
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const auth = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        ...(auth !== undefined ? { auth } : {}),
      },
      (res) => {
        clearTimeout(timer);
        res.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), Math.max(1, options.timeoutMs - (Date.now() - startedAt)));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
