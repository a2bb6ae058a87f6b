import type { Job, JobEvent } from '@headway/protocol';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeboxValidatorCompiler } from '../../src/http/validation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

/**
 * Number query parameters are read as plain decimal text or refused: TypeBox's Value.Convert read
 * "1e3" as 1, "0x2" as 2, "1.5" as 1 and "true" as 1, and answered for the misread value.
 */
describe('number query parameters', () => {
  let server: TestServer;
  let job: Job;
  const auth = () => ({ authorization: `Bearer ${server.adminKey}` });

  beforeAll(async () => {
    server = await startTestServer();
    job = await createJob(server, { type: 'query.numbers' });
    // Events 2..4 after "created", so a misread `after` shows up in the answer.
    for (const action of ['start', 'pause', 'resume']) {
      const res = await server.request('POST', `/v1/jobs/${job.id}/${action}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterAll(() => server.close());

  async function get<T>(url: string): Promise<{ status: number; body: T }> {
    const res = await server.app.inject({ method: 'GET', url, headers: auth() });
    return { status: res.statusCode, body: res.json<T>() };
  }

  async function expect400(url: string): Promise<string> {
    const res = await get<ErrorAnswer>(url);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    return res.body.error.message;
  }

  const seqsAfter = async (query: string) => (await get<{ items: JobEvent[] }>(`/v1/jobs/${job.id}/events?${query}`)).body.items.map((e) => e.seq);

  it('an integer written with an exponent, a fraction, hex or a word is 400 naming the parameter and the text sent', async () => {
    const before = await seqsAfter('after=0');
    expect(before).toEqual([1, 2, 3, 4]);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=1e3`)).toBe('query parameter "after" must be a whole number written in plain digits, e.g. 1000, got "1e3"');
    expect(await expect400(`/v1/jobs/${job.id}/events?after=7.9`)).toMatch(/query parameter "after" must be a whole number .*got "7\.9"/);
    expect(await expect400(`/v1/jobs/${job.id}/events?limit=1.5`)).toMatch(/query parameter "limit" must be a whole number .*got "1\.5"/);
    expect(await expect400(`/v1/jobs/${job.id}/events?limit=0x2`)).toMatch(/query parameter "limit" must be a whole number .*got "0x2"/);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=true`)).toMatch(/"after" must be a whole number .*got "true"/);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=1e400`)).toMatch(/"after" must be a whole number .*got "1e400"/);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=+1`)).toMatch(/"after" must be a whole number/);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=%201`)).toMatch(/"after" must be a whole number .*got " 1"/);
    expect(await seqsAfter('after=0')).toEqual(before);
  });

  it('an integer beyond 2^53 - 1 is 400 rather than rounded', async () => {
    expect(await expect400('/v1/jobs?from=9007199254740993')).toBe(
      'query parameter "from" is too large a number to read exactly (beyond ±9007199254740991), got "9007199254740993"',
    );
    expect(await expect400('/v1/jobs?to=-99999999999999999999')).toMatch(/"to" is too large a number/);
  });

  it('GET /v1/jobs?from=9e15 is 400, not every job (9e15 was read as 9)', async () => {
    expect(await expect400('/v1/jobs?from=9e15')).toMatch(/query parameter "from" must be a whole number .*got "9e15"/);
    expect(await expect400('/v1/jobs?limit=1e1')).toMatch(/"limit"/);
    const list = await get<{ items: Job[] }>(`/v1/jobs?type=query.numbers&from=${job.createdAt}`);
    expect(list.body.items.map((j) => j.id)).toEqual([job.id]);
    expect((await get<{ items: Job[] }>('/v1/jobs?type=query.numbers&from=9000000000000000')).body.items).toEqual([]);
  });

  it('the long-poll parameters are checked the same way, and answered at once', async () => {
    expect(await expect400(`/v1/jobs/${job.id}?waitForChangeAfter=1e3`)).toMatch(/query parameter "waitForChangeAfter" must be a whole number .*got "1e3"/);
    expect(await expect400(`/v1/jobs/${job.id}?waitForChangeAfter=0&timeoutMs=5e3`)).toMatch(/query parameter "timeoutMs" must be a whole number .*got "5e3"/);
    const unchanged = await get<Job>(`/v1/jobs/${job.id}`);
    expect(unchanged.body.seq).toBe(4);
  });

  it('analytics and notifications parameters are checked too', async () => {
    expect(await expect400('/v1/analytics/types?from=1e3')).toMatch(/query parameter "from" must be a whole number/);
    expect(await expect400('/v1/analytics/throughput?to=0x10')).toMatch(/query parameter "to" must be a whole number/);
    expect(await expect400('/v1/analytics/steps?type=query.numbers&from=1.0')).toMatch(/query parameter "from" must be a whole number/);
    expect(await expect400('/v1/notifications?limit=2e1')).toMatch(/query parameter "limit" must be a whole number/);
  });

  it('plain decimal integers work as before, leading zeros and bounds included', async () => {
    expect(await seqsAfter('after=1')).toEqual([2, 3, 4]);
    expect(await seqsAfter('after=001&limit=2')).toEqual([2, 3]);
    expect(await seqsAfter('after=4')).toEqual([]);
    expect(await expect400(`/v1/jobs/${job.id}/events?after=-1`)).toMatch(/query parameter "after": expected integer to be greater or equal to 0, got -1/);
    expect(await expect400(`/v1/jobs/${job.id}/events?limit=1001`)).toMatch(/query parameter "limit".*1000/);
    const polled = await get<Job>(`/v1/jobs/${job.id}?waitForChangeAfter=0&timeoutMs=0`);
    expect(polled).toMatchObject({ status: 200, body: { id: job.id } });
    const types = await get(`/v1/analytics/types?from=0&to=${Date.now() + 60_000}`);
    expect(types.status).toBe(200);
    expect((await get('/v1/notifications?limit=5')).status).toBe(200);
  });

  it('a number field takes plain decimals only', () => {
    const validate = typeboxValidatorCompiler({ schema: Type.Object({ ratio: Type.Optional(Type.Number()) }), httpPart: 'querystring', method: 'GET', url: '/x' });
    expect(validate({ ratio: '2.5' })).toEqual({ value: { ratio: 2.5 } });
    expect(validate({ ratio: '-3' })).toEqual({ value: { ratio: -3 } });
    for (const text of ['1e3', '0x10', '.5', '5.', 'Infinity', 'true', '']) {
      const result = validate({ ratio: text }) as { error?: Error };
      expect(result.error?.message, text).toBe(`query parameter "ratio" must be a decimal number written in plain digits, e.g. 2.5, got ${JSON.stringify(text)}`);
    }
  });
});
