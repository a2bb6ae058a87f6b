import type { Job } from '@headway/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnstorableText, jsonMayHoldUnstorableText } from '../../src/http/text-guard.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { testStoreKind } from '../support/test-db.js';
import { openSubscriber } from '../stream/ws-client.js';
import { createJob, signUserToken, TOKEN_SECRET, type ErrorAnswer } from './fixtures.js';

const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

// NUL and lone surrogates are answered 400 before anything is stored, the same on both stores
// (PostgreSQL used to answer 500; SQLite kept NUL and mangled surrogates in text columns).
describe(`text no store can keep is refused with the field that holds it (${testStoreKind()})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: TOKEN_SECRET } });
  });
  afterAll(() => server.close());

  async function send(method: string, url: string, payload?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${server.adminKey}` };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const body = typeof payload === 'string' ? payload : payload === undefined ? undefined : JSON.stringify(payload);
    return server.app.inject({ method: method as 'POST', url, headers, ...(body === undefined ? {} : { payload: body }) });
  }

  /** Sends, expects 400 VALIDATION_FAILED, and returns the message. */
  async function refused(method: string, url: string, payload?: unknown): Promise<string> {
    const res = await send(method, url, payload);
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json<ErrorAnswer>();
    expect(error.code).toBe('VALIDATION_FAILED');
    return error.message;
  }

  async function jobsOfType(type: string): Promise<Job[]> {
    const res = await send('GET', `/v1/jobs?type=${type}&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Job[] }>().items;
  }

  async function readJob(id: string): Promise<Job> {
    const res = await send('GET', `/v1/jobs/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Job>();
  }

  it('a job with a NUL in any text field is refused, naming the field, and is not created', async () => {
    const type = 'nul.create';
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ title: `a${NUL}b` }, /body field "title" contains a NUL character \(\\u0000\), which is not allowed/],
      [{ owner: `u${NUL}` }, /body field "owner" contains a NUL character/],
      [{ unit: `rows${NUL}` }, /body field "unit" contains a NUL/],
      [{ tags: ['ok', `bad${NUL}`] }, /body field "tags\[1\]" contains a NUL/],
      [{ steps: [{ name: 'fetch' }, { name: `up${NUL}load` }] }, /body field "steps\[1\]\.name" contains a NUL/],
      [{ metadata: { source: { files: ['a.csv', `b${NUL}.csv`] } } }, /body field "metadata\.source\.files\[1\]" contains a NUL/],
      [{ metadata: { nested: { [`k${NUL}ey`]: 1 } } }, /body field "metadata\.nested" has a key "k\\u0000ey" that contains a NUL/],
      [{ children: [{ type }, { type, title: `child${NUL}` }] }, /body field "children\[1\]\.title" contains a NUL/],
      [{ children: [{ type, metadata: { [`x${NUL}`]: true } }] }, /body field "children\[0\]\.metadata" has a key "x\\u0000"/],
    ];
    for (const [fields, message] of cases) {
      expect(await refused('POST', '/v1/jobs', { type, ...fields })).toMatch(message);
    }
    expect(await jobsOfType(type)).toEqual([]);
  });

  it('unpaired surrogate escapes are refused too; a proper pair is accepted and round-trips', async () => {
    const type = 'surrogate.create';
    expect(await refused('POST', '/v1/jobs', { type, title: `x${LONE_HIGH}y` })).toMatch(/body field "title" contains an unpaired UTF-16 surrogate/);
    expect(await refused('POST', '/v1/jobs', { type, title: `${LONE_LOW}${LONE_HIGH}` })).toMatch(/"title" contains an unpaired/);
    expect(await refused('POST', '/v1/jobs', { type, metadata: { note: `end${LONE_HIGH}` } })).toMatch(/"metadata\.note" contains an unpaired/);
    expect(await refused('POST', '/v1/jobs', { type, metadata: { [`k${LONE_LOW}`]: 1 } })).toMatch(/body field "metadata" has a key "k\\udc00"/);
    expect(await jobsOfType(type)).toEqual([]);

    // The way Python's json.dumps sends an emoji: an escaped pair, which is one whole character.
    const res = await send('POST', '/v1/jobs', `{"type":"${type}","title":"rocket \\ud83d\\ude80","metadata":{"\\ud83d\\udcc1":"\\ud83d\\ude80"}}`);
    expect(res.statusCode, res.body).toBe(201);
    const job = await readJob(res.json<Job>().id);
    expect(job.title).toBe('rocket 🚀');
    expect(job.metadata).toEqual({ '📁': '🚀' });
  });

  it('the literal text \\u0000 (an escaped backslash) is ordinary text: accepted and read back unchanged', async () => {
    const literal = '\\u0000';
    const res = await send('POST', '/v1/jobs', { type: 'literal.escape', title: `path C:${literal}`, tags: [literal], metadata: { [literal]: [literal, `\\${literal}`] } });
    expect(res.statusCode, res.body).toBe(201);
    const job = await readJob(res.json<Job>().id);
    expect(job.title).toBe('path C:\\u0000');
    expect(job.tags).toEqual(['\\u0000']);
    expect(job.metadata).toEqual({ '\\u0000': ['\\u0000', '\\\\u0000'] });
    const report = await send('POST', `/v1/jobs/${job.id}/progress`, { done: 1, message: `read ${literal}` });
    expect(report.statusCode, report.body).toBe(200);
    expect((await readJob(job.id)).message).toBe('read \\u0000');
  });

  it('a progress report with a NUL is refused and changes nothing, single or in a batch', async () => {
    const job = await createJob(server, { total: 100, steps: [{ name: 'load' }] });
    expect((await send('POST', `/v1/jobs/${job.id}/progress`, { done: 10, message: 'ten' })).statusCode).toBe(200);
    const before = await readJob(job.id);

    expect(await refused('POST', `/v1/jobs/${job.id}/progress`, { done: 20, message: `m${NUL}` })).toMatch(/body field "message" contains a NUL/);
    expect(await refused('POST', `/v1/jobs/${job.id}/progress`, { done: 20, metrics: { [`rows${NUL}`]: 1 } })).toMatch(/body field "metrics" has a key "rows\\u0000"/);
    expect(await refused('POST', `/v1/jobs/${job.id}/progress`, { step: `load${NUL}` })).toMatch(/body field "step" contains a NUL/);
    // One bad item refuses the whole batch: the good first item is not applied either.
    const batch = [
      { jobId: job.id, done: 30 },
      { jobId: job.id, done: 40, message: `x${NUL}` },
    ];
    expect(await refused('POST', '/v1/progress', batch)).toMatch(/body field "\[1\]\.message" contains a NUL/);
    expect(await refused('POST', '/v1/progress', [{ jobId: job.id, message: `y${LONE_HIGH}` }])).toMatch(/"\[0\]\.message" contains an unpaired/);

    const after = await readJob(job.id);
    expect({ done: after.done, message: after.message, seq: after.seq, currentStep: after.currentStep }).toEqual({
      done: before.done,
      message: before.message,
      seq: before.seq,
      currentStep: before.currentStep,
    });
    expect(after.done).toBe(10);
  });

  it('a result or an error with a NUL is refused and the job keeps its status', async () => {
    const job = await createJob(server);
    expect((await send('POST', `/v1/jobs/${job.id}/start`)).statusCode).toBe(200);
    expect(await refused('POST', `/v1/jobs/${job.id}/complete`, { result: { rows: [1, { note: `n${NUL}` }] } })).toMatch(/body field "result\.rows\[1\]\.note" contains a NUL/);
    expect(await refused('POST', `/v1/jobs/${job.id}/fail`, { error: { message: `disk${NUL}full`, code: 'ENOSPC' } })).toMatch(/body field "error\.message" contains a NUL/);
    expect(await refused('POST', `/v1/jobs/${job.id}/fail`, { error: { message: 'disk full', code: `E${NUL}` } })).toMatch(/"error\.code" contains a NUL/);
    const after = await readJob(job.id);
    expect(after.status).toBe('running');
    expect(after.result).toBeNull();
    expect(after.error).toBeNull();
  });

  it('keys, tokens, preferences, watches and templates refuse a NUL and store nothing', async () => {
    const keysBefore = (await send('GET', '/v1/keys')).json<{ items: unknown[] }>().items.length;
    expect(await refused('POST', '/v1/keys', { name: `worker${NUL}`, scopes: ['jobs:read'] })).toMatch(/body field "name" contains a NUL/);
    expect((await send('GET', '/v1/keys')).json<{ items: unknown[] }>().items).toHaveLength(keysBefore);

    expect(await refused('POST', '/v1/tokens', { sub: `alice${NUL}` })).toMatch(/body field "sub" contains a NUL/);

    const prefsBefore = (await send('GET', '/v1/users/alice/preferences')).json<unknown>();
    expect(await refused('PUT', '/v1/users/alice/preferences', { mutedJobs: ['a', `b${NUL}`] })).toMatch(/body field "mutedJobs\[1\]" contains a NUL/);
    expect(await refused('PUT', '/v1/users/alice/preferences', { contacts: { email: `a${NUL}@example.com` } })).toMatch(/"contacts\.email" contains a NUL/);
    expect(await refused('PUT', '/v1/users/alice/preferences', { contacts: { webhook: { url: `https://example.com/${NUL}` } } })).toMatch(/"contacts\.webhook\.url" contains a NUL/);
    expect((await send('GET', '/v1/users/alice/preferences')).json<unknown>()).toEqual(prefsBefore);

    expect(await refused('POST', '/v1/users/alice/watches', { jobType: `video${NUL}` })).toMatch(/body field "jobType" contains a NUL/);
    expect((await send('GET', '/v1/users/alice/watches')).json<unknown>()).toEqual((await send('GET', '/v1/users/nobody/watches')).json<unknown>());

    expect(await refused('PUT', '/v1/notification-templates/job.completed/email', { subject: `Done${NUL}`, text: 'ok' })).toMatch(/body field "subject" contains a NUL/);
    expect(await refused('POST', '/v1/notification-templates/job.completed/email/preview', { template: { text: `hi ${NUL}` } })).toMatch(/"template\.text" contains a NUL/);
    const template = (await send('GET', '/v1/notification-templates/job.completed/email')).json<{ source: string }>();
    expect(template.source).toBe('default');
  });

  it('a NUL in a query parameter or a path parameter is refused before it reaches a query', async () => {
    for (const name of ['q', 'tag', 'owner', 'type', 'parentId']) {
      expect(await refused('GET', `/v1/jobs?${name}=a%00b`)).toMatch(new RegExp(`query parameter "${name}" contains a NUL`));
    }
    expect(await refused('GET', '/v1/jobs/%00')).toMatch(/path parameter "id" contains a NUL/);
    expect(await refused('GET', '/v1/jobs/abc%00/events')).toMatch(/path parameter "id" contains a NUL/);
    expect(await refused('POST', '/v1/jobs/abc%00/progress', { done: 1 })).toMatch(/path parameter "id" contains a NUL/);
    expect(await refused('GET', '/v1/users/al%00ice/preferences')).toMatch(/path parameter "id" contains a NUL/);
    expect(await refused('DELETE', '/v1/users/alice/watches?jobType=x%00')).toMatch(/query parameter "jobType" contains a NUL/);
    expect(await refused('GET', '/v1/notifications?user=u%00')).toMatch(/query parameter "user" contains a NUL/);
    // A lone surrogate cannot be percent-encoded as UTF-8: the router refuses it, in our error format.
    expect(await refused('GET', '/v1/jobs/%ED%A0%80')).toMatch(/path "\/v1\/jobs\/%ED%A0%80" is not valid percent-encoded UTF-8/);
    // The same searches without the NUL still work.
    expect((await send('GET', '/v1/jobs?q=a&tag=b&owner=c')).statusCode).toBe(200);
  });

  it('a NUL deep inside a deeply nested body is found without overflowing the stack', async () => {
    const depth = 20_000;
    const payload = `{"type":"deep.nul","metadata":{"n":${'['.repeat(depth)}"x\\u0000"${']'.repeat(depth)}}}`;
    const message = await refused('POST', '/v1/jobs', payload);
    expect(message).toMatch(/body field "metadata\.n\[0\]\[0\]/);
    expect(message).toMatch(/contains a NUL/);
    expect(await jobsOfType('deep.nul')).toEqual([]);
  });

  it('a live channel with a NUL is refused on SSE and on WebSocket before it reaches the store', async () => {
    expect(await refused('GET', '/v1/stream/sse?channel=job:ab%00cd')).toMatch(/channel .* contains a NUL/);
    expect(await refused('GET', '/v1/stream/sse?channel=user:u%00')).toMatch(/channel .* contains a NUL/);
    const subscriber = await openSubscriber(server.url, server.adminKey);
    try {
      subscriber.send({ type: 'subscribe', channel: `job:ab${NUL}cd` as `job:${string}` });
      const error = await subscriber.next('error');
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/channel .* contains a NUL/) });
      // The connection stays usable for a proper channel.
      const job = await createJob(server);
      subscriber.send({ type: 'subscribe', channel: `job:${job.id}` });
      expect((await subscriber.next('snapshot')).channel).toBe(`job:${job.id}`);
    } finally {
      subscriber.ws.close();
    }
  });

  it('a user token whose sub holds a NUL is refused as 401, never answered 500', async () => {
    const token = await signUserToken(`alice${NUL}`, Math.floor(Date.now() / 1000) + 600);
    const res = await server.app.inject({ method: 'GET', url: '/v1/jobs', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json<ErrorAnswer>().error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/"sub".*NUL/) });
  });

  it('a forged page cursor carrying a NUL is refused, not passed to the store', async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(await refused('GET', `/v1/jobs?cursor=${forged(['-createdAt', Date.now(), `id${NUL}`])}`)).toMatch(/cursor/);
    expect(await refused('GET', `/v1/notifications?cursor=${forged([Date.now(), `id${NUL}`])}`)).toMatch(/cursor/);
  });
});

describe('the raw-body test in front of the JSON parser', () => {
  it('passes bodies without NUL or surrogate escapes without a walk, and flags every escape that may hide one', () => {
    expect(jsonMayHoldUnstorableText(JSON.stringify([{ jobId: 'j1', done: 5, message: 'café ☕ 🚀' }]))).toBe(false);
    expect(jsonMayHoldUnstorableText('{"message":"bell \\u0007 and esc \\u001b[1m"}')).toBe(false);
    for (const escape of ['\\u0000', '\\uD800', '\\udbff', '\\uDC00', '\\udfff']) {
      expect(jsonMayHoldUnstorableText(`{"m":"a${escape}b"}`), escape).toBe(true);
    }
    expect(jsonMayHoldUnstorableText('{"m":"\\u00001"}')).toBe(true);
  });

  it('an escaped backslash before u0000 is a false alarm that the walk of the parsed value clears', () => {
    const text = '{"title":"C:\\\\u0000","tags":["\\\\u0000"]}';
    expect(jsonMayHoldUnstorableText(text)).toBe(true);
    expect(findUnstorableText(JSON.parse(text))).toBeNull();
    expect(findUnstorableText(JSON.parse('{"tags":["ok","\\\\\\u0000"]}'))).toEqual({ path: ['tags', 1], problem: 'nul' });
  });
});

