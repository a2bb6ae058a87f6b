import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeboxValidatorCompiler } from '../../src/http/validation.js';
import { eventually } from '../support/node.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { FAST_NOTIFY, runJob } from '../notify/support/notify-server.js';
import type { ErrorAnswer } from './fixtures.js';

interface Feed {
  items: Array<{ id: string; readAt: number | null }>;
}

/**
 * Boolean query parameters (GET /v1/notifications?unread=, the only one) are `true` or `false`
 * as written: TypeBox's Value.Convert also read TRUE, False, 1, 0 and -0, and answered for its guess.
 */
describe('boolean query parameters', () => {
  let server: TestServer;
  let feed: string;
  let all: string[];
  let read: string;

  beforeAll(async () => {
    server = await startTestServer({ config: { notify: FAST_NOTIFY as never } });
    await runJob(server, 'dave', 'completed', { title: 'Backup' });
    await runJob(server, 'dave', 'completed', { title: 'Import' });
    // One job.completed per job: a feed that cannot grow while the tests read it.
    feed = '/v1/notifications?user=dave&channel=in_app&status=sent&type=job.completed';
    const sent = await eventually(async () => {
      const res = await server.request<Feed>('GET', feed);
      return res.body.items.length === 2 ? res.body.items : null;
    });
    all = sent.map((n) => n.id).sort();
    read = sent[0]!.id;
    const marked = await server.request('POST', '/v1/notifications/read', { body: { user: 'dave', ids: [read] } });
    expect(marked.status).toBe(200);
  });
  afterAll(() => server.close());

  async function get<T>(url: string): Promise<{ status: number; body: T }> {
    const res = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${server.adminKey}` } });
    return { status: res.statusCode, body: res.json<T>() };
  }

  it('unread=true lists the unread notifications only, unread=false (or none) all of them', async () => {
    const ids = async (query: string) => (await get<Feed>(`${feed}${query}`)).body.items.map((n) => n.id).sort();
    const unread = await get<Feed>(`${feed}&unread=true`);
    expect(unread.status).toBe(200);
    expect(unread.body.items.every((n) => n.readAt === null)).toBe(true);
    expect(unread.body.items.map((n) => n.id).sort()).toEqual(all.filter((id) => id !== read));
    expect(await ids('&unread=false')).toEqual(all);
    expect(await ids('')).toEqual(all);
  });

  it('any other spelling is 400 naming the parameter, the accepted values and the text sent', async () => {
    for (const text of ['TRUE', 'True', 'FALSE', '1', '0', '-0', 'yes', 'on', '', 'true%20', '%20true', 'truee']) {
      const res = await get<ErrorAnswer>(`${feed}&unread=${text}`);
      const sent = decodeURIComponent(text);
      expect(res, `unread=${text}`).toEqual({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: `query parameter "unread" must be true or false, got ${JSON.stringify(sent)}` } } });
    }
  });

  it('a repeated parameter is refused by the schema as before', async () => {
    const res = await get<ErrorAnswer>(`${feed}&unread=true&unread=true`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/query parameter "unread"/);
  });

  it('every boolean field of a query string or a path is read the same way; bodies keep JSON booleans', () => {
    const schema = Type.Object({ flag: Type.Optional(Type.Boolean()), n: Type.Optional(Type.Integer()) });
    for (const httpPart of ['querystring', 'params'] as const) {
      const validate = typeboxValidatorCompiler({ schema, httpPart, method: 'GET', url: '/x' });
      expect(validate({ flag: 'true' })).toEqual({ value: { flag: true } });
      expect(validate({ flag: 'false', n: '2' })).toEqual({ value: { flag: false, n: 2 } });
      const where = httpPart === 'querystring' ? 'query parameter' : 'path parameter';
      expect((validate({ flag: '1' }) as { error?: Error }).error?.message).toBe(`${where} "flag" must be true or false, got "1"`);
    }
    const body = typeboxValidatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/x' });
    expect(body({ flag: true })).toEqual({ value: { flag: true } });
    expect((body({ flag: 'true' }) as { error?: Error }).error?.message).toMatch(/body field "flag"/);
  });
});
