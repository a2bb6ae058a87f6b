import { HeadwayError } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HeadwayError);
    return (error as HeadwayError).message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, db: './headway.db', demo: false, flushIntervalMs: 100, rateLimitPerMinute: 60_000 });
    expect(config.adminKey).toBeUndefined();
    expect(config.smtp).toBeUndefined();
  });

  it('flags win over the environment, which wins over defaults', () => {
    const env = { HEADWAY_PORT: '9000', HEADWAY_HOST: '0.0.0.0', HEADWAY_DB: '/data/env.db', HEADWAY_NODE_ID: 'node-a', HEADWAY_LOG_LEVEL: 'warn' };
    const config = loadConfig({ port: '7000', db: './flag.db', demo: true }, env);
    expect(config).toMatchObject({ port: 7000, host: '0.0.0.0', db: './flag.db', nodeId: 'node-a', logLevel: 'warn', demo: true });
  });

  it('reads secrets, Redis and numeric tuning from HEADWAY_* variables', () => {
    const config = loadConfig(
      {},
      {
        HEADWAY_ADMIN_KEY: 'a'.repeat(20),
        HEADWAY_TOKEN_SECRET: 's'.repeat(40),
        HEADWAY_REDIS: 'redis://127.0.0.1:6390',
        HEADWAY_FLUSH_INTERVAL_MS: '50',
        HEADWAY_BODY_LIMIT_BYTES: '2048',
        HEADWAY_DEMO: 'yes',
      },
    );
    expect(config).toMatchObject({ adminKey: 'a'.repeat(20), tokenSecret: 's'.repeat(40), redis: 'redis://127.0.0.1:6390', flushIntervalMs: 50, bodyLimitBytes: 2048, demo: true });
  });

  it('a bad value fails at boot naming the setting, its source and the value', () => {
    expect(failure(() => loadConfig({}, { HEADWAY_PORT: 'eighty' }))).toMatch(/"port" \(from HEADWAY_PORT\): "eighty"/);
    expect(failure(() => loadConfig({ port: '70000' }, {}))).toMatch(/"port" \(from --port\): 70000/);
    expect(failure(() => loadConfig({}, { HEADWAY_REDIS: 'localhost:6379' }))).toMatch(/"redis" \(from HEADWAY_REDIS\)/);
    expect(failure(() => loadConfig({}, { HEADWAY_LOG_LEVEL: 'loud' }))).toMatch(/"logLevel"/);
  });

  it('a bad secret is named but never echoed', () => {
    const message = failure(() => loadConfig({}, { HEADWAY_ADMIN_KEY: 'short-secret' }));
    expect(message).toMatch(/"adminKey" \(from HEADWAY_ADMIN_KEY\)/);
    expect(message).not.toContain('short-secret');
  });

  it('HEADWAY_SMTP_URL becomes the smtp settings', () => {
    const config = loadConfig({}, { HEADWAY_SMTP_URL: 'smtp://ops%40x.io:p%40ss@mail.local:2525', HEADWAY_SMTP_FROM: 'Ops <ops@x.io>' });
    expect(config.smtp).toEqual({ host: 'mail.local', port: 2525, secure: false, user: 'ops@x.io', pass: 'p@ss', from: 'Ops <ops@x.io>', allowUnencrypted: false });
    expect(loadConfig({}, { HEADWAY_SMTP_URL: 'smtps://mail.local' }).smtp).toMatchObject({ port: 465, secure: true, from: 'Headway <headway@localhost>' });
    expect(failure(() => loadConfig({}, { HEADWAY_SMTP_URL: 'http://mail.local' }))).toMatch(/HEADWAY_SMTP_URL/);
  });

  it('SMS settings come all together or not at all', () => {
    expect(failure(() => loadConfig({}, { HEADWAY_SMS_BASE_URL: 'http://127.0.0.1:9' }))).toMatch(/HEADWAY_SMS_ACCOUNT_SID, HEADWAY_SMS_AUTH_TOKEN, HEADWAY_SMS_FROM/);
    const config = loadConfig({}, { HEADWAY_SMS_BASE_URL: 'http://127.0.0.1:9', HEADWAY_SMS_ACCOUNT_SID: 'AC1', HEADWAY_SMS_AUTH_TOKEN: 't', HEADWAY_SMS_FROM: '+15550001' });
    expect(config.sms).toEqual({ baseUrl: 'http://127.0.0.1:9', accountSid: 'AC1', authToken: 't', from: '+15550001' });
  });

  it('every notify setting can be set by a HEADWAY_NOTIFY_* variable', () => {
    const config = loadConfig(
      {},
      {
        HEADWAY_NOTIFY_MAX_ATTEMPTS: '60',
        HEADWAY_NOTIFY_BACKOFF_BASE_MS: '1000',
        HEADWAY_NOTIFY_BACKOFF_MAX_MS: '600000',
        HEADWAY_NOTIFY_ESCALATE_AFTER_ATTEMPTS: '5',
        HEADWAY_NOTIFY_WEBHOOK_TIMEOUT_MS: '5000',
        HEADWAY_NOTIFY_DISPATCH_INTERVAL_MS: '250',
        HEADWAY_NOTIFY_CRITICAL_TYPES: 'alert.stalled, job.failed',
        HEADWAY_NOTIFY_MILESTONES: 'report.build=10,50,90; import.csv=25',
      },
    );
    expect(config.notify).toMatchObject({
      maxAttempts: 60,
      backoffBaseMs: 1000,
      backoffMaxMs: 600_000,
      escalateAfterAttempts: 5,
      webhookTimeoutMs: 5000,
      dispatchIntervalMs: 250,
      criticalTypes: ['alert.stalled', 'job.failed'],
      milestones: { 'report.build': [10, 50, 90], 'import.csv': [25] },
    });
    expect(loadConfig({}, { HEADWAY_NOTIFY_MILESTONES: '{"etl":[33,66]}' }).notify.milestones).toEqual({ etl: [33, 66] });
  });

  it('a bad notify value fails at boot naming the setting and its variable', () => {
    expect(failure(() => loadConfig({}, { HEADWAY_NOTIFY_MAX_ATTEMPTS: 'many' }))).toMatch(/"notify\.maxAttempts" \(from HEADWAY_NOTIFY_MAX_ATTEMPTS\): "many"/);
    expect(failure(() => loadConfig({}, { HEADWAY_NOTIFY_MILESTONES: 'report.build=10,150' }))).toMatch(/"notify\.milestones\.report\.build\.1" \(from HEADWAY_NOTIFY_MILESTONES\): 150/);
    expect(failure(() => loadConfig({}, { HEADWAY_NOTIFY_MILESTONES: 'report.build' }))).toMatch(/HEADWAY_NOTIFY_MILESTONES.*report\.build=10,50,90/);
    expect(failure(() => loadConfig({}, { HEADWAY_NOTIFY_BACKOFF_BASE_MS: '7200000' }))).toMatch(/notify\.backoffBaseMs.*HEADWAY_NOTIFY_BACKOFF_MAX_MS/);
  });

  it('an SMTP password with a bare % says what to fix, without showing the password', () => {
    const message = failure(() => loadConfig({}, { HEADWAY_SMTP_URL: 'smtp://ops:50%off!@mail.local:2525' }));
    expect(message).toMatch(/HEADWAY_SMTP_URL.*password.*% as %25/);
    expect(message).not.toContain('50%off');
    expect(loadConfig({}, { HEADWAY_SMTP_URL: 'smtp://ops:50%25off!@mail.local:2525' }).smtp?.pass).toBe('50%off!');
  });

  it('webhook networks come from HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS, and a bad entry fails at boot', () => {
    expect(loadConfig({}, { HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS: 'private, 169.254.10.0/24, fd00::/8' }).notify.webhookAllowedNetworks).toEqual(['private', '169.254.10.0/24', 'fd00::/8']);
    expect(failure(() => loadConfig({}, { HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS: 'intranet' }))).toMatch(/"notify\.webhookAllowedNetworks\.0" \(from HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS\): "intranet"/);
  });
});
