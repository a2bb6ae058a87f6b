import { errorFromAnswer, HeadwayNetworkError } from '../errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * Sent as the Idempotency-Key header: the server applies the request once per key, so it is
   * sent again after no answer (a lost connection, a restarting server) or a 502, 503 or 504, a
   * few times over seconds.
   */
  idempotencyKey?: string;
}

/**
 * Further sends of a keyed request that got no answer: the first at once (a closed kept-alive
 * connection), the others after 0.25–0.5, 0.5–1 and 1–2 s (a server restarting), 1.75–3.5 s in
 * all; after a 502, 503 or 504 the first waits 0.25–0.5 s too.
 */
const KEYED_RESENDS = 4;

/** Answers after which a keyed request is sent again too: a node starting (503), a proxy whose backend is away (502) or slow (504: it may have been applied, which the key makes safe). */
const RESEND_STATUSES = new Set([502, 503, 504]);

function keyedResendDelayMs(attempt: number): number {
  const cap = 250 * 2 ** attempt;
  return cap / 2 + Math.random() * (cap / 2);
}

/** Methods whose request applied twice has the effect of applying it once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Where the server is and how to authenticate; shared by REST, SSE and WebSocket. */
export class Endpoint {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly fetch: FetchLike;

  constructor(url: string, token: string | undefined, fetchImpl: FetchLike | undefined) {
    this.baseUrl = url.endsWith('/') ? url : `${url}/`;
    this.token = token;
    const found = fetchImpl ?? (globalThis.fetch as FetchLike | undefined);
    if (!found) throw new TypeError('no fetch implementation: pass `fetch` to createClient (Node 18+ and browsers have one)');
    // Browsers refuse a fetch called with another `this`.
    this.fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Absolute URL of an API path such as `v1/jobs`, with the query's defined values. */
  url(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /**
   * One JSON request. Error answers become HeadwayError with the server's code; no answer at
   * all becomes HeadwayNetworkError, so callers can tell "refused" from "unreachable" (a read is
   * sent once more first, on a new connection; a keyed request up to four more times).
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders(), ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const init: RequestInit = { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal };
    // A kept-alive connection the server has closed (a restart, an idle timeout) fails the
    // request sent on it. Browsers send it again on a new connection; Node's fetch does not.
    // Only a request that cannot apply twice is sent again (RFC 9110, 9.2.2): a POST without a
    // key may have been applied before its answer was lost.
    const resends = options.idempotencyKey !== undefined ? KEYED_RESENDS : IDEMPOTENT_METHODS.has(method) ? 1 : 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await this.fetch(url, init);
        text = await response.text(); // a connection lost in the answer is no answer too
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if (attempt >= resends) throw new HeadwayNetworkError(url, error);
        if (attempt > 0) await sleep(keyedResendDelayMs(attempt), options.signal);
        continue;
      }
      const body = text ? parseJson(text) : undefined;
      if (response.ok) return body as T;
      if (options.idempotencyKey !== undefined && attempt < resends && RESEND_STATUSES.has(response.status)) {
        await sleep(keyedResendDelayMs(Math.max(attempt, 1)), options.signal);
        continue;
      }
      throw errorFromAnswer(response.status, body);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    const aborted = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
