import { describe, expect, it } from 'vitest';
import type { NotificationPreferences } from '@headway/client';
import { changeOf, fieldOfServerMessage, formOf, validate } from '../src/views/preferences/form-model';

const STORED: NotificationPreferences = {
  timeZone: 'UTC',
  contacts: { email: null, phone: null, webhook: { url: 'https://hooks.example.test/a', secret: 'whsec_0123456789abcdefghij', disabledAt: null } },
  channels: { log: true },
  types: { 'job.failed': { breakThrough: false, channels: { sms: true } }, 'alert.stalled': { frequency: 'hourly' } },
  quietHours: null,
  mutedJobs: [],
  escalation: ['email', 'sms', 'webhook', 'in_app'],
};

describe('preferences form model', () => {
  it('round-trips stored preferences, keeping fields the form does not edit and the webhook secret', () => {
    const form = formOf(STORED);
    expect(Object.keys(form.types)).toContain('alert.stalled');
    expect(form.types['job.failed']!.channels).toEqual({ in_app: 'default', email: 'default', sms: 'on', webhook: 'default' });
    form.phone = '+33 6 12-34-56-78';
    // Only what changed is sent: the other fields, the log switch and the webhook secret stay as stored.
    expect(changeOf(form, STORED)).toEqual({ contacts: { phone: '+33612345678' } });
  });

  it('a switch or a type row put back to default is sent as null, which removes it', () => {
    const form = formOf(STORED);
    form.types['job.failed']!.channels.sms = 'default';
    form.types['alert.stalled']!.frequency = 'immediate';
    form.channels.email = 'off';
    expect(changeOf(form, STORED)).toEqual({ channels: { email: false }, types: { 'job.failed': { channels: null }, 'alert.stalled': null } });
  });

  it('sends the webhook only when its URL changed, and null when it was cleared', () => {
    const form = formOf(STORED);
    form.webhookUrl = '';
    expect(changeOf(form, STORED).contacts?.webhook).toBeNull();
    form.webhookUrl = 'https://hooks.example.test/b';
    // The old secret and disabled state are removed: the server gives the new URL a new secret.
    expect(changeOf(form, STORED).contacts?.webhook).toEqual({ url: 'https://hooks.example.test/b', secret: null, disabledAt: null });
  });

  it('sends the muted jobs only when edited on the page, so a mute made elsewhere meanwhile is kept', () => {
    const stored = { ...STORED, mutedJobs: ['job-a', 'job-b'] };
    const form = formOf(stored);
    form.timeZone = 'Europe/Paris';
    expect(changeOf(form, stored)).not.toHaveProperty('mutedJobs');
    form.mutedJobs = ['job-a'];
    expect(changeOf(form, stored).mutedJobs).toEqual(['job-a']);
  });

  it('says what to fix: zone, email, phone, URL, quiet hours, and a channel switched on without its contact', () => {
    const form = { ...formOf(STORED), timeZone: 'Mars/Olympus', email: 'nobody', phone: '555-1234', webhookUrl: 'ftp://x', quietEnabled: true, quietStart: '22:00', quietEnd: '22:00' };
    const errors = validate(form);
    expect(Object.keys(errors).sort()).toEqual(['email', 'phone', 'quietEnd', 'timeZone', 'webhookUrl']);
    expect(errors.timeZone).toContain('IANA');
    expect(validate({ ...formOf(STORED), phone: '' }).phone).toContain('SMS is switched on');
    expect(validate({ ...formOf(STORED), phone: '+15551234567', timeZone: 'America/New_York' })).toEqual({});
  });

  it("maps the server's validation messages to the field they name", () => {
    expect(fieldOfServerMessage('body field "contacts.phone": expected string to match pattern, got "1"')).toBe('phone');
    expect(fieldOfServerMessage('body field "timeZone": "Mars/Olympus" is not an IANA time zone; use a name like "Europe/Paris" or "UTC"')).toBe('timeZone');
    expect(fieldOfServerMessage('body field "quietHours.end": expected string to match pattern')).toBe('quietEnd');
    expect(fieldOfServerMessage('body field "types.job.completed.frequency" must be one of ...')).toBe('types');
    expect(fieldOfServerMessage('something else went wrong')).toBeNull();
  });
});
