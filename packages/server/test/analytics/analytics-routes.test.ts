import type { StepAnalyticsAnswer, ThroughputAnswer, TypeAnalyticsAnswer } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeJob } from '../store/fixtures.js';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);

describe('analytics routes', () => {
  let server: TestServer;
  let anaToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Finished jobs straight into the real store: the routes aggregate history, they do not make it.
    const finished = (owner: string, status: 'completed' | 'failed', workMs: number, finishedAt: number) =>
      makeJob({
        type: 'import',
        owner,
        status,
        unit: 'rows',
        done: 100,
        createdAt: finishedAt - workMs - 1,
        startedAt: finishedAt - workMs,
        finishedAt,
        updatedAt: finishedAt,
        steps: [
          { name: 'read', weight: 1, status: 'done', startedAt: finishedAt - workMs, endedAt: finishedAt - workMs / 4 },
          { name: 'write', weight: 1, status: 'done', startedAt: finishedAt - workMs / 4, endedAt: finishedAt },
        ],
      });
    await server.headway.store.jobs.insert(
      [finished('ana', 'completed', 4_000, T0 + 1_000), finished('ana', 'failed', 2_000, T0 + 2_000), finished('bob', 'completed', 8_000, T0 + 3_000)],
      T0,
    );
    const minted = await server.request<{ token: string }>('POST', '/v1/tokens', { body: { sub: 'ana' } });
    anaToken = minted.body.token;
  });
  afterAll(() => server.close());

  const range = `from=${T0}&to=${T0 + HOUR}`;

  it('answers per-type outcomes and percentiles to the admin across owners', async () => {
    const res = await server.request<TypeAnalyticsAnswer>('GET', `/v1/analytics/types?${range}`);
    expect(res.status).toBe(200);
    expect(res.body.types).toEqual([expect.objectContaining({ type: 'import', finished: 3, completed: 2, failed: 1, successRate: 2 / 3, p50DurationMs: 4_000, p95DurationMs: 8_000 })]);
  });

  it('shows a user token only its own jobs, whatever owner it asks for', async () => {
    const res = await server.request<TypeAnalyticsAnswer>('GET', `/v1/analytics/types?${range}&owner=bob`, { token: anaToken });
    expect(res.status).toBe(200);
    expect(res.body.types).toEqual([expect.objectContaining({ type: 'import', finished: 2, completed: 1, failed: 1, p50DurationMs: 4_000 })]);
    const steps = await server.request<StepAnalyticsAnswer>('GET', `/v1/analytics/steps?type=import&${range}`, { token: anaToken });
    // ana's jobs: read 3,000 + 1,500 ms, write 1,000 + 500 ms.
    expect(steps.body.steps.map((s) => [s.name, s.totalMs])).toEqual([
      ['read', 4_500],
      ['write', 1_500],
    ]);
    expect(steps.body.bottleneck).toBe('read');
  });

  it('buckets throughput by the requested size', async () => {
    const res = await server.request<ThroughputAnswer>('GET', `/v1/analytics/throughput?type=import&bucket=30m&${range}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bucketMs: 30 * 60_000, unit: 'rows' });
    expect(res.body.buckets).toEqual([
      { start: T0, completed: 2, failed: 1, cancelled: 0, units: 200 },
      { start: T0 + 30 * 60_000, completed: 0, failed: 0, cancelled: 0, units: 0 },
    ]);
  });

  it('buckets throughput by the local days of the tz parameter and names the zone it used', async () => {
    // T0 is 22:00 UTC on 2023-11-14, 07:00 on the 15th in Tokyo (UTC+9).
    const tokyo = await server.request<ThroughputAnswer>('GET', `/v1/analytics/throughput?bucket=1d&tz=asia/tokyo&${range}`);
    expect(tokyo.status).toBe(200);
    expect(tokyo.body).toMatchObject({ timeZone: 'Asia/Tokyo', bucketMs: 86_400_000 });
    expect(tokyo.body.buckets).toEqual([{ start: Date.UTC(2023, 10, 14, 15), completed: 2, failed: 1, cancelled: 0, units: 200 }]);
    const utc = await server.request<ThroughputAnswer>('GET', `/v1/analytics/throughput?bucket=1d&${range}`);
    expect(utc.body.timeZone).toBe('UTC');
    expect(utc.body.buckets.map((b) => b.start)).toEqual([Date.UTC(2023, 10, 14)]);
  });

  it('refuses a time zone it does not know with VALIDATION_FAILED naming the tz parameter', async () => {
    for (const tz of ['Mars/Olympus_Mons', '', 'Europe/Paris%00']) {
      const res = await server.request<{ error: { code: string; message: string } }>('GET', `/v1/analytics/throughput?tz=${tz}&${range}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('tz');
    }
    const unknown = await server.request<{ error: { message: string } }>('GET', `/v1/analytics/throughput?tz=Mars/Olympus_Mons&${range}`);
    expect(unknown.body.error.message).toBe('tz "Mars/Olympus_Mons" is not an IANA time zone; use a name such as Europe/Paris, America/Los_Angeles or UTC');
  });

  it('rejects bad input with VALIDATION_FAILED and a message that says what to fix', async () => {
    const bucket = await server.request<{ error: { code: string; message: string } }>('GET', '/v1/analytics/throughput?bucket=5 minutes');
    expect(bucket.status).toBe(400);
    expect(bucket.body.error.code).toBe('VALIDATION_FAILED');
    const reversed = await server.request<{ error: { code: string; message: string } }>('GET', `/v1/analytics/types?from=${T0 + 10}&to=${T0}`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toContain('must be before');
    const noType = await server.request<{ error: { code: string } }>('GET', '/v1/analytics/steps');
    expect(noType.status).toBe(400);
    const anonymous = await server.request('GET', '/v1/analytics/types', { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('is documented in the OpenAPI document', async () => {
    const res = await server.request<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>('GET', '/v1/openapi.json', { token: null });
    for (const path of ['/v1/analytics/types', '/v1/analytics/throughput', '/v1/analytics/steps']) expect(res.body.paths[path]?.get).toBeDefined();
    expect(res.body.paths['/v1/analytics/throughput']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['type', 'bucket', 'tz', 'from', 'to']));
  });
});
