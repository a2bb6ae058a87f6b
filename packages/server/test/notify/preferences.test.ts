import { describe, expect, it } from 'vitest';
import { planFor } from '../../src/notify/plan.js';
import { resolveDelivery, nextEscalationChannel, typePolicy } from '../../src/notify/preferences/resolve.js';
import { defaultPreferences, type Preferences } from '../../src/notify/preferences/schema.js';
import { CHANNEL_NAMES, type Trigger } from '../../src/notify/types.js';

const ALL = new Set(CHANNEL_NAMES);
const withContacts = (overrides: Partial<Preferences> = {}): Preferences => ({
  ...defaultPreferences(),
  contacts: { email: 'ada@example.test', phone: '+15550001111', webhook: { url: 'http://127.0.0.1:1/hook', secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=', disabledAt: null } },
  ...overrides,
});
const resolve = (type: string, prefs: Preferences, critical: string[] = [], jobId: string | null = 'job-1') => resolveDelivery(type, jobId, prefs, typePolicy(type, critical), ALL).channels;

describe('preference resolution', () => {
  it('defaults to in-app for everything and email for completed and failed', () => {
    const prefs = withContacts();
    expect(resolve('job.started', prefs)).toEqual(['in_app']);
    expect(resolve('job.completed', prefs)).toEqual(['in_app', 'email']);
    expect(resolve('job.failed', prefs)).toEqual(['in_app', 'email']);
    expect(resolve('alert.stalled', prefs)).toEqual(['in_app']);
  });

  it('a per-type switch beats the channel switch, which beats the defaults', () => {
    const prefs = withContacts({ channels: { email: false, sms: true }, types: { 'job.failed': { channels: { email: true } } } });
    expect(resolve('job.completed', prefs)).toEqual(['in_app', 'sms']);
    expect(resolve('job.failed', prefs)).toEqual(['in_app', 'email', 'sms']);
  });

  it('a critical type keeps its default channels even when the user switches them off or mutes the job', () => {
    const prefs = withContacts({ channels: { in_app: false }, types: { 'job.failed': { channels: { email: false, sms: true } } }, mutedJobs: ['job-1'] });
    expect(resolve('job.failed', prefs, ['job.failed'])).toEqual(['in_app', 'email', 'sms']);
    // Not critical: the type switch would give sms, but the job is muted.
    expect(resolve('job.failed', prefs, [])).toEqual([]);
  });

  it('a muted job notifies nothing, other jobs still do', () => {
    const prefs = withContacts({ mutedJobs: ['job-1'] });
    expect(resolve('job.completed', prefs, [], 'job-1')).toEqual([]);
    expect(resolve('job.completed', prefs, [], 'job-2')).toEqual(['in_app', 'email']);
  });

  it('drops channels without a contact point or not configured on this node', () => {
    const prefs = { ...defaultPreferences(), channels: { sms: true, webhook: true } };
    expect(resolve('job.completed', prefs)).toEqual(['in_app']);
    const noSmtp = resolveDelivery('job.completed', null, withContacts(), typePolicy('job.completed', []), new Set(['in_app', 'sms'] as const));
    expect(noSmtp.channels).toEqual(['in_app']);
  });

  it('failures and alerts are urgent and break through quiet hours unless the user says otherwise', () => {
    const prefs = withContacts({ types: { 'alert.stalled': { breakThrough: false } } });
    expect(resolveDelivery('job.failed', null, prefs, typePolicy('job.failed', []), ALL)).toMatchObject({ urgent: true, breakThrough: true });
    expect(resolveDelivery('alert.stalled', null, prefs, typePolicy('alert.stalled', []), ALL)).toMatchObject({ urgent: true, breakThrough: false });
    expect(resolveDelivery('job.completed', null, prefs, typePolicy('job.completed', []), ALL)).toMatchObject({ urgent: false, breakThrough: false });
  });

  it('escalates to the next channel in the user order that has a contact and was not tried', () => {
    const prefs = withContacts({ contacts: { email: 'a@b.c', phone: null, webhook: { url: 'http://x', secret: 'whsec_x', disabledAt: null } } });
    expect(nextEscalationChannel(prefs, ['email'], ALL)).toBe('webhook');
    expect(nextEscalationChannel(withContacts(), ['email'], ALL)).toBe('sms');
    expect(nextEscalationChannel(withContacts({ escalation: ['email'] }), ['email'], ALL)).toBeNull();
  });
});

describe('planning one trigger for one user', () => {
  const trigger: Trigger = { type: 'job.completed', key: 'job-1:7', jobId: 'job-1', jobType: 'import', parentId: null, owner: 'ada', data: { type: 'job.completed', at: 0, job: null } };
  let n = 0;
  const ctx = { now: Date.UTC(2026, 0, 1, 10, 17), newId: () => `id-${++n}`, criticalTypes: [], sendable: ALL };

  it('immediate channels become outbox rows keyed by event, user and channel', () => {
    const plan = planFor(trigger, 'ada', withContacts(), ctx);
    expect(plan.notifications.map((r) => r.key)).toEqual(['job-1:7|ada|in_app', 'job-1:7|ada|email']);
    expect(plan.digestItems).toEqual([]);
  });

  it('a digest frequency keeps in-app immediate and puts the rest in the hour window', () => {
    const plan = planFor(trigger, 'ada', withContacts({ types: { 'job.completed': { frequency: 'hourly' } } }), ctx);
    expect(plan.notifications.map((r) => r.channel)).toEqual(['in_app']);
    expect(plan.digestItems).toHaveLength(1);
    expect(plan.digestItems[0]).toMatchObject({ itemKey: 'job-1:7|ada|digest', digestKey: 'all', windowStart: Date.UTC(2026, 0, 1, 10), windowEnd: Date.UTC(2026, 0, 1, 11), channels: ['email'] });
  });

  it('muting a batch mutes its children', () => {
    const child = { ...trigger, jobId: 'child-1', parentId: 'job-1', type: 'job.failed' };
    expect(planFor(child, 'ada', withContacts({ mutedJobs: ['job-1'] }), ctx).notifications).toEqual([]);
  });
});
