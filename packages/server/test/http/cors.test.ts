import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

describe('CORS for browser code on other origins', () => {
  let open: TestServer;
  let listed: TestServer;
  beforeAll(async () => {
    open = await startTestServer();
    listed = await startTestServer({ config: { corsOrigins: 'https://app.example.com' } });
  });
  afterAll(async () => {
    await open.close();
    await listed.close();
  });

  it('answers a preflight without a token, allowing the bearer header', async () => {
    const res = await open.app.inject({
      method: 'OPTIONS',
      url: '/v1/jobs/abc/progress',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });

  it('allows PUT and PATCH, which the client uses to save preferences and mute jobs', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const res = await open.app.inject({
        method: 'OPTIONS',
        url: '/v1/users/ada/preferences',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-methods']?.toString().split(', '), method).toContain(method);
    }
  });

  it('marks answers (errors included) readable by the calling origin', async () => {
    const res = await open.app.inject({ method: 'GET', url: '/v1/jobs', headers: { origin: 'https://elsewhere.example' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('with a list of origins, only those are allowed', async () => {
    const allowed = await listed.app.inject({ method: 'GET', url: '/v1/health', headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers.vary).toContain('Origin');
    const other = await listed.app.inject({ method: 'GET', url: '/v1/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
