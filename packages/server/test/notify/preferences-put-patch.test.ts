import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

interface Prefs {
  timeZone: string;
  contacts: { email: string | null; phone: string | null; webhook: { url: string; secret: string; disabledAt: number | null } | null };
  channels: Record<string, boolean>;
  types: Record<string, Record<string, unknown>>;
  quietHours: { start: string; end: string } | null;
  mutedJobs: string[];
  escalation: string[];
}

const FULL = {
  timeZone: 'Europe/Paris',
  contacts: { email: 'ada@example.test', phone: '+15550001111', webhook: { url: 'https://hooks.example.test/a' } },
  channels: { email: true, sms: false },
  types: { 'job.completed': { channels: { sms: true }, frequency: 'hourly' }, 'job.failed': { breakThrough: false } },
  quietHours: { start: '22:00', end: '07:00' },
  mutedJobs: ['job-1'],
  escalation: ['sms', 'email'],
};

describe('PUT replaces the preferences, PATCH merges into them', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const put = (user: string, body: unknown) => server.request<Prefs>('PUT', `/v1/users/${user}/preferences`, { body });
  const patch = (user: string, body: unknown) => server.request<Prefs & { error: { code: string; message: string } }>('PATCH', `/v1/users/${user}/preferences`, { body });
  const stored = async (user: string) => (await server.request<Prefs>('GET', `/v1/users/${user}/preferences`)).body;

  it('PUT: every field left out, contacts included, goes back to its default', async () => {
    const first = await put('ada', FULL);
    expect(first.status).toBe(200);
    const second = await put('ada', { channels: { sms: true } });
    expect(second.status).toBe(200);
    expect(await stored('ada')).toEqual({
      timeZone: 'UTC',
      contacts: { email: null, phone: null, webhook: null },
      channels: { sms: true },
      types: {},
      quietHours: null,
      mutedJobs: [],
      escalation: ['email', 'sms', 'webhook', 'in_app'],
    });
    // Contacts are one field like the others: the ones left out are removed.
    await put('ada', { contacts: { email: 'ada@example.test', phone: '+15550001111' } });
    await put('ada', { contacts: { phone: '+15550002222' } });
    expect((await stored('ada')).contacts).toEqual({ email: null, phone: '+15550002222', webhook: null });
  });

  it('PUT: the webhook keeps its secret for the same URL and gets a new one for another', async () => {
    const secret = (await put('bob', FULL)).body.contacts.webhook!.secret;
    expect((await put('bob', { contacts: { webhook: { url: FULL.contacts.webhook.url } } })).body.contacts.webhook!.secret).toBe(secret);
    const moved = (await put('bob', { contacts: { webhook: { url: 'https://hooks.example.test/b' } } })).body.contacts.webhook!;
    expect(moved.secret).toMatch(/^whsec_/);
    expect(moved.secret).not.toBe(secret);
  });

  it('PATCH: members merge at every depth, null removes one, arrays replace', async () => {
    const before = (await put('cleo', FULL)).body;
    const res = await patch('cleo', {
      contacts: { phone: '+15550003333' },
      channels: { email: null },
      types: { 'job.completed': { frequency: null }, 'job.failed': null, 'job.started': { channels: { email: false } } },
      escalation: ['webhook'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...before,
      contacts: { ...before.contacts, phone: '+15550003333' },
      channels: { sms: false },
      types: { 'job.completed': { channels: { sms: true } }, 'job.started': { channels: { email: false } } },
      escalation: ['webhook'],
    });
    expect(await stored('cleo')).toEqual(res.body);
    // Removing a member returns it to its default.
    expect((await patch('cleo', { timeZone: null, quietHours: null, mutedJobs: null, contacts: { webhook: null } })).body).toMatchObject({
      timeZone: 'UTC',
      quietHours: null,
      mutedJobs: [],
      contacts: { email: 'ada@example.test', phone: '+15550003333', webhook: null },
    });
  });

  it('PATCH: the webhook keeps its secret unless it moves to another URL; application/merge-patch+json is taken', async () => {
    const secret = (await put('dora', FULL)).body.contacts.webhook!.secret;
    const response = await fetch(`${server.url}/v1/users/dora/preferences`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ timeZone: 'Asia/Tokyo' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Prefs).contacts.webhook!.secret).toBe(secret);
    const moved = (await patch('dora', { contacts: { webhook: { url: 'https://hooks.example.test/d' } } })).body.contacts.webhook!;
    expect(moved.url).toBe('https://hooks.example.test/d');
    expect(moved.secret).not.toBe(secret);
    expect((await stored('dora')).timeZone).toBe('Asia/Tokyo');
  });

  it('PATCH: a patch that leaves a bad document, or has unknown fields, is refused and changes nothing', async () => {
    await put('eve', { timeZone: 'Europe/Paris' });
    const before = await stored('eve');
    const half = await patch('eve', { quietHours: { start: '22:00' } });
    expect(half.status).toBe(400);
    expect(half.body.error.code).toBe('VALIDATION_FAILED');
    expect(half.body.error.message).toMatch(/"quietHours\.end" is required/);
    const unknown = await patch('eve', { types: { 'job.completed': { colour: 'red' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/colour/);
    const zone = await patch('eve', { timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(await stored('eve')).toEqual(before);
  });
});
