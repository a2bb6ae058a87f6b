import { describe, expect, it } from 'vitest';
import { nextEscalationChannel } from '../../src/notify/preferences/resolve.js';
import { defaultPreferences, type Preferences } from '../../src/notify/preferences/schema.js';
import { CHANNEL_NAMES } from '../../src/notify/types.js';
import { eventually } from '../support/node.js';
import type { TestServer } from '../support/server.js';
import { SmtpReceiver } from './support/smtp-receiver.js';
import { TwilioReceiver } from './support/twilio-receiver.js';
import { closeAfterEachTest, putPreferences, runJob, startNotifyServer } from './support/notify-server.js';

const ALL = new Set(CHANNEL_NAMES);
const reachable = (overrides: Partial<Preferences> = {}): Preferences => ({
  ...defaultPreferences(),
  contacts: { email: 'a@example.test', phone: '+15550001111', webhook: { url: 'http://127.0.0.1:1/hook', secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=', disabledAt: null } },
  ...overrides,
});

describe('escalation goes only where the user wants and the event has not been', () => {
  it('skips a channel switched off for all types or for this type; a type switch on beats the global off, as in resolution', () => {
    expect(nextEscalationChannel(reachable({ channels: { sms: false } }), ['email'], ALL, 'job.failed')).toBe('webhook');
    expect(nextEscalationChannel(reachable({ types: { 'job.failed': { channels: { sms: false } } } }), ['email'], ALL, 'job.failed')).toBe('webhook');
    expect(nextEscalationChannel(reachable({ types: { 'alert.stalled': { channels: { sms: false } } } }), ['email'], ALL, 'job.failed')).toBe('sms');
    expect(nextEscalationChannel(reachable({ channels: { sms: false }, types: { 'job.failed': { channels: { sms: true } } } }), ['email'], ALL, 'job.failed')).toBe('webhook'); // sms already went out with the event
    expect(nextEscalationChannel(reachable({ channels: { sms: false, webhook: false } }), ['email'], ALL, 'job.failed')).toBeNull();
  });

  it('skips the channels the event itself went to, not only those along the chain', () => {
    const emailOnly = { ...reachable(), contacts: { email: 'c@example.test', phone: null, webhook: null } };
    // job.failed went to in_app and email: after email fails there is nowhere new.
    expect(nextEscalationChannel(emailOnly, ['email'], ALL, 'job.failed')).toBeNull();
    // An alert went to in_app only: its failure could still escalate to email, never back to in_app.
    expect(nextEscalationChannel(reachable({ escalation: ['in_app', 'email'] }), ['sms'], ALL, 'alert.stalled')).toBe('email');
  });
});

interface Listed {
  items: Array<{ id: string; channel: string; type: string; status: string; escalatedFrom: string | null }>;
}

describe('escalation end to end (SMTP down for good)', () => {
  let server: TestServer | undefined;
  const afterTest = closeAfterEachTest(() => server);

  async function deadSmtpPort(): Promise<number> {
    const closed = await new SmtpReceiver().start();
    const port = closed.port;
    await closed.stop();
    return port;
  }
  const emailDead = (s: TestServer, user: string) => async () => (await s.request<Listed>('GET', `/v1/notifications?user=${user}&channel=email&status=dead`)).body.items.length === 1;

  it('a user with sms switched off gets no escalation SMS, and one who got the in-app item does not get it twice', async () => {
    const twilio = await new TwilioReceiver('AC0123456789abcdef0123456789abcdef', 'auth-token-secret').start();
    afterTest(() => twilio.stop());
    server = await startNotifyServer({ smtpPort: await deadSmtpPort(), sms: { baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550009999' } });
    const s = server;
    await putPreferences(s, 'alice', { channels: { sms: false }, contacts: { email: 'alice@example.test', phone: '+15551230000' } });
    await putPreferences(s, 'carol', { contacts: { email: 'carol@example.test' } });
    await runJob(s, 'alice', 'failed');
    await runJob(s, 'carol', 'failed');
    // Escalation is decided after the second failed attempt, long before the last: once email is dead it has been.
    await eventually(emailDead(s, 'alice'), 20_000, "alice's email dead");
    await eventually(emailDead(s, 'carol'), 20_000, "carol's email dead");
    for (const user of ['alice', 'carol']) {
      const failed = (await s.request<Listed>('GET', `/v1/notifications?user=${user}&type=job.failed`)).body.items;
      expect(failed.map((n) => n.channel).sort(), user).toEqual(['email', 'in_app']);
      expect(failed.every((n) => n.escalatedFrom === null), user).toBe(true);
    }
    expect(twilio.messages).toEqual([]);
  });
});
