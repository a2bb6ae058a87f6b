import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

interface ErrorAnswer {
  error: { code: string; message: string };
}

describe('bad preference input is refused with what to fix, and changes nothing', () => {
  let server: TestServer;
  const saved = { timeZone: 'Europe/Paris', contacts: { email: 'ada@example.test', phone: '+15550001111', webhook: { url: 'https://example.test/hook' } }, quietHours: { start: '22:00', end: '07:00' } };
  let before: unknown;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.request('PUT', '/v1/users/ada/preferences', { body: saved })).status).toBe(200);
    before = (await server.request('GET', '/v1/users/ada/preferences')).body;
  });
  afterAll(() => server.close());

  async function refused(body: unknown): Promise<string> {
    const res = await server.request<ErrorAnswer>('PUT', '/v1/users/ada/preferences', { body });
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await server.request('GET', '/v1/users/ada/preferences')).body).toEqual(before);
    return res.body.error.message;
  }

  it('type names that are not notification types are refused, as are their contents', async () => {
    const message = await refused({ types: { 'Job.Completed': { channels: 'lots', x: [1, 2, 3] }, 'JOB FAILED!!': 'yes' } });
    expect(message).toMatch(/"types\.Job\.Completed"/);
    expect(message).toMatch(/notification types, e\.g\. job\.completed/);
    expect(await refused({ types: { 'JOB FAILED!!': 'yes' } })).toMatch(/"types\.JOB FAILED!!"/);
    expect(await refused({ types: { 'job.completed': { channels: 'lots' } } })).toMatch(/"types\.job\.completed\.channels"/);
  });

  it('webhook URLs without a host, with a blank or with credentials are refused at save time, saying why', async () => {
    for (const url of ['http://', 'http://exa mple/', 'http://user:pw@host/', 'ftp://x']) {
      const message = await refused({ contacts: { webhook: { url } } });
      expect(message, url).toContain('body field "contacts.webhook.url" must be an http(s) URL with a host and no user:password@');
      expect(message, url).toContain(`got ${JSON.stringify(url)}`);
    }
    for (const url of ['http://127.0.0.1:8080/hook', 'https://hooks.example.com/a/b?c=d', 'http://[::1]/h', 'http://my_service:3000']) {
      expect((await server.request('PUT', '/v1/users/bob/preferences', { body: { contacts: { webhook: { url } } } })).status, url).toBe(200);
    }
  });

  it('quiet hours, email and phone say the shape to send', async () => {
    expect(await refused({ quietHours: { start: '25:00', end: '07:00' } })).toBe('body field "quietHours.start" must be HH:MM, 24-hour, in the user time zone, got "25:00"');
    expect(await refused({ quietHours: { start: '25:00' } })).toMatch(/"quietHours\.end" is required/);
    expect(await refused({ contacts: { email: 'not-an-email' } })).toBe('body field "contacts.email" must be an email address, e.g. ada@example.com, got "not-an-email"');
    expect(await refused({ contacts: { phone: '555-1234' } })).toBe('body field "contacts.phone" must be E.164, e.g. +15551234567, got "555-1234"');
    // null still clears them.
    expect((await server.request('PUT', '/v1/users/bob/preferences', { body: { quietHours: null, contacts: { email: null, phone: null, webhook: null } } })).status).toBe(200);
  });
});
