import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createKey } from './fixtures.js';

describe('HTTP logs', () => {
  let server: TestServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ config: { logLevel: 'debug' }, logStream: { write: (line: string) => lines.push(line) } });
  });
  afterAll(() => server.close());

  it('log every request at debug without tokens from headers, query strings or bodies', async () => {
    const { key } = await createKey(server, ['jobs:read']);
    await server.request('GET', '/v1/jobs', { token: key });
    // A wrong token, so a stream route answers 401 at once instead of streaming.
    const queryToken = 'hw_0000_querysecretquerysecretquery';
    await server.request('GET', `/v1/stream/sse?channel=jobs&token=${queryToken}`, { token: null });
    await server.request('POST', '/v1/tokens', { body: { sub: 'dana' } });
    const log = lines.join('');
    expect(log).toContain('"url":"/v1/jobs"');
    expect(log).toContain('token=[redacted]');
    expect(log).not.toContain(key);
    expect(log).not.toContain(server.adminKey);
    expect(log).not.toContain(key.split('_').slice(2).join('_')); // the secret may itself contain '_'
    expect(log).not.toContain('querysecret');
  });
});
