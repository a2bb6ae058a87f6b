import { HeadwayError, type ErrorCode } from '@headway/client';
import type { StepAnalyticsAnswer, ThroughputAnswer, TypeAnalyticsAnswer } from '@headway/protocol';

type Query = Record<string, string | number | undefined>;

/**
 * REST calls the dashboard needs that the client SDK does not offer (yet): analytics, the
 * system view, notifications and preferences. Same base URL and bearer token as the client.
 */
export class DashboardApi {
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  typeAnalytics(query: { from?: number; to?: number }): Promise<TypeAnalyticsAnswer> {
    return this.get('v1/analytics/types', query);
  }

  /** `tz` (an IANA zone, UTC by default) decides where buckets start: local midnight for `1d`. */
  throughput(query: { type?: string; from?: number; to?: number; bucket?: string; tz?: string }): Promise<ThroughputAnswer> {
    return this.get('v1/analytics/throughput', query);
  }

  stepAnalytics(query: { type: string; from?: number; to?: number }): Promise<StepAnalyticsAnswer> {
    return this.get('v1/analytics/steps', query);
  }

  system(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.get('v1/system', {}, signal);
  }

  get<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    return this.request('GET', path, query, undefined, signal);
  }

  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown = {}): Promise<T> {
    return this.request(method, path, {}, body);
  }

  private async request<T>(method: string, path: string, query: Query, body: unknown, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw errorOf(response.status, parsed);
    return parsed as T;
  }
}

/** The server's `{error: {code, message}}` as a HeadwayError; anything else by its status. */
function errorOf(status: number, body: unknown): HeadwayError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (error?.code && error.message) return new HeadwayError(error.code as ErrorCode, error.message);
  const code: ErrorCode = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'INTERNAL';
  return new HeadwayError(code, `the server answered ${status}`);
}
