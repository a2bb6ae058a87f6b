import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createJob, type ErrorAnswer } from './fixtures.js';

/** `{"a":{"a":…1…}}` with `levels` objects, as JSON text (a JS value this deep could not be stringified). */
function nestedObjectText(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

/**
 * JSON.parse reads thousands of levels, but JSON.stringify in the stores overflowed the stack on
 * them (500 INTERNAL); a number past the double range parsed as Infinity and was stored as null.
 */
describe('JSON nesting depth and number range', () => {
  let server: TestServer;
  const headers = () => ({ authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function post(url: string, payload: string): Promise<{ status: number; body: unknown }> {
    const res = await server.app.inject({ method: 'POST', url, headers: headers(), payload });
    return { status: res.statusCode, body: res.json() };
  }

  async function jobsOfType(type: string): Promise<Job[]> {
    return (await server.request<{ items: Job[] }>('GET', `/v1/jobs?type=${type}`)).body.items;
  }

  it('metadata nested 4,100 levels deep is 400 naming the limit, and creates nothing', async () => {
    const res = await post('/v1/jobs', `{"type":"deep.metadata","metadata":${nestedObjectText(4_100)}}`);
    expect(res).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'the body nests objects and arrays more than 64 levels deep (under body field "metadata"); flatten it, or send the deep part as a JSON string' } },
    });
    expect(await jobsOfType('deep.metadata')).toEqual([]);
  });

  it('a result nested 4,100 levels deep is 400, and the job stays running', async () => {
    const job = await createJob(server, { type: 'deep.result' });
    expect((await server.request('POST', `/v1/jobs/${job.id}/start`)).status).toBe(200);
    const res = await post(`/v1/jobs/${job.id}/complete`, `{"result":${nestedObjectText(4_100)}}`);
    expect(res.status).toBe(400);
    expect((res.body as ErrorAnswer).error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/more than 64 levels deep \(under body field "result"\)/) });
    expect((await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'running', result: null });
  });

  it('a body 64 levels deep is accepted, 65 is refused (the body itself is the first level)', async () => {
    // The body, then metadata, then 62 or 63 more objects.
    const accepted = await post('/v1/jobs', `{"type":"depth.limit","metadata":${nestedObjectText(63)}}`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const refused = await post('/v1/jobs', `{"type":"depth.limit","metadata":${nestedObjectText(64)}}`);
    expect(refused.status).toBe(400);
    expect((refused.body as ErrorAnswer).error.message).toMatch(/more than 64 levels/);
    expect((await jobsOfType('depth.limit')).map((j) => j.id)).toEqual([(accepted.body as Job).id]);
    // Arrays count as levels too, also at the top of a batch body.
    const batch = await post('/v1/progress', '['.repeat(65) + ']'.repeat(65));
    expect((batch.body as ErrorAnswer).error.message).toMatch(/more than 64 levels deep \(under body field "\[0\]"\)/);
  });

  it('a number beyond the double range is 400 naming its field, not stored as null', async () => {
    const inMetadata = await post('/v1/jobs', '{"type":"huge.number","metadata":{"size":{"bytes":1e400}}}');
    expect(inMetadata).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'body field "metadata.size.bytes" is a number beyond ±1.8e308, the largest a double holds; send a smaller number, or a string' } },
    });
    const negative = await post('/v1/jobs', `{"type":"huge.number","metadata":{"digits":-${'9'.repeat(400)}}}`);
    expect((negative.body as ErrorAnswer).error.message).toMatch(/^body field "metadata\.digits" is a number beyond/);
    expect(await jobsOfType('huge.number')).toEqual([]);
    const job = await createJob(server, { type: 'huge.progress' });
    const progress = await post(`/v1/jobs/${job.id}/progress`, '{"done":1e400}');
    expect((progress.body as ErrorAnswer).error.message).toMatch(/^body field "done" is a number beyond/);
    const batch = await post('/v1/progress', `[{"jobId":"${job.id}","done":1},{"jobId":"${job.id}","done":-1e309}]`);
    expect((batch.body as ErrorAnswer).error.message).toMatch(/^body field "\[1\]\.done" is a number beyond/);
    expect((await server.request<Job>('GET', `/v1/jobs/${job.id}`)).body.done).toBe(0);
  });

  it('large but finite numbers still go through', async () => {
    const job = await createJob(server, { type: 'big.number', metadata: { big: 1e308, small: -1.5e-300 } });
    expect(job.metadata).toEqual({ big: 1e308, small: -1.5e-300 });
  });
});
