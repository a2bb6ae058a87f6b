import { Type, type Static } from '@sinclair/typebox';

/** The one typed configuration, built once at start (see load.ts) and passed down. */
export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  /** SQLite file path, ':memory:', or a postgres:// URL. */
  db: Type.String({ minLength: 1, default: './headway.db' }),
  redis: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Channel/key prefix on Redis, so several deployments (and tests) can share one server. */
  redisPrefix: Type.String({ default: 'headway' }),
  demo: Type.Boolean({ default: false }),
  adminKey: Type.Optional(Type.String({ minLength: 16 })),
  /** HS256 secret for user tokens; generated and stored on first start when absent. */
  tokenSecret: Type.Optional(Type.String({ minLength: 32 })),
  /** Stable id of this node; its running jobs are re-queued at once when it restarts. */
  nodeId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  /** Coalesced progress is written to the store once per this interval. */
  flushIntervalMs: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  /** A progress journal row of another node older than this is a dead node's, and this node writes it back (PostgreSQL). */
  journalAdoptAfterMs: Type.Integer({ minimum: 1_000, default: 30_000 }),
  /** Coalesced progress is announced to live subscribers once per this interval. */
  announceIntervalMs: Type.Integer({ minimum: 1, maximum: 1_000, default: 50 }),
  leaseMs: Type.Integer({ minimum: 1000, default: 30_000 }),
  retentionDays: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  /** Requests per minute per API key or user token (the admin key is exempt); 0 turns the limit off. */
  rateLimitPerMinute: Type.Integer({ minimum: 0, default: 60_000 }),
  /** Browser origins allowed to call the API (bearer tokens, no cookies): `*`, a comma list of origins, or `none`. */
  corsOrigins: Type.String({ minLength: 1, default: '*' }),
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')],
    { default: 'info' },
  ),
  smtp: Type.Optional(
    Type.Object({
      host: Type.String(),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
      secure: Type.Boolean({ default: false }),
      user: Type.Optional(Type.String()),
      pass: Type.Optional(Type.String()),
      from: Type.String({ default: 'Headway <headway@localhost>' }),
      /**
       * Plain smtp:// to a host other than loopback requires STARTTLS, so the password and the mail
       * never cross the network in clear; true lets a server that offers no STARTTLS be used anyway.
       */
      allowUnencrypted: Type.Optional(Type.Boolean({ default: false })),
    }),
  ),
  sms: Type.Optional(
    Type.Object({
      baseUrl: Type.String(),
      accountSid: Type.String(),
      authToken: Type.String(),
      from: Type.String(),
    }),
  ),
  /** Notification delivery (src/notify): outbox dispatcher, retries, escalation, milestones. */
  notify: Type.Object(
    {
      /** The dispatcher looks for due notifications this often (it is also woken on every enqueue). */
      dispatchIntervalMs: Type.Integer({ minimum: 5, maximum: 60_000, default: 500 }),
      /** Job events are gathered for this long and written to the outbox in one transaction. */
      enqueueIntervalMs: Type.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
      /**
       * Triggers waiting in memory for the outbox at most (it keeps refusing writes: database locked
       * or unreachable). Beyond it they are dropped and read again from the job events afterwards.
       */
      maxPendingTriggers: Type.Integer({ minimum: 10, default: 10_000 }),
      /** Notifications claimed per dispatcher round, and sent at most this many at once. */
      batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 200 }),
      /** Network sends (webhook, email, SMS) in flight at once, over all channels; in-app and log are not counted. */
      concurrency: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
      /** Sends in flight at once on one channel, so a slow webhook or SMTP server cannot take every slot. */
      channelConcurrency: Type.Integer({ minimum: 1, maximum: 256, default: 8 }),
      /** A claimed notification not confirmed within this time is sent again (crash of its sender). */
      leaseMs: Type.Integer({ minimum: 1_000, default: 60_000 }),
      /**
       * Transient failures (SMTP down, webhook 5xx) are retried until this many attempts. With the
       * defaults (5 s doubling, capped at 1 h) 48 attempts span about 38 h, at least 28.8 h with the
       * worst jitter: an outage of a day loses nothing, and a mail arrives at most ~75 min after
       * its server is back. Keep maxAttempts × backoffMaxMs above your longest plausible outage.
       */
      maxAttempts: Type.Integer({ minimum: 1, maximum: 1_000, default: 48 }),
      backoffBaseMs: Type.Integer({ minimum: 1, default: 5_000 }),
      backoffMaxMs: Type.Integer({ minimum: 1, default: 3_600_000 }),
      /** An urgent notification that failed this many times is also sent on the user's next channel. */
      escalateAfterAttempts: Type.Integer({ minimum: 1, default: 3 }),
      webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
      /**
       * Non-public addresses webhooks may reach (users choose webhook URLs): `private` (10/8,
       * 172.16/12, 192.168/16, 100.64/10, fc00::/7: LAN services self-hosters post to), `loopback`,
       * `link-local` (incl. 169.254.169.254, cloud metadata), CIDRs or addresses, or `none`.
       * Public addresses are always allowed; the check is on the resolved IP at send time.
       * Loopback is opt-in: a user's webhook must not reach services bound to the server's own host.
       */
      webhookAllowedNetworks: Type.Array(Type.String({ pattern: '^(private|loopback|link-local|none|[0-9A-Fa-f:.]+(/[0-9]{1,3})?)$' }), { default: ['private'] }),
      /** Notification types users cannot switch off (e.g. "alert.stalled"). */
      criticalTypes: Type.Array(Type.String(), { default: [] }),
      /** Progress milestones per job type; types not listed use 25/50/75. */
      milestones: Type.Record(Type.String(), Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100 })), { default: {} }),
    },
    { default: {} },
  ),
  /** Alerts the service raises on its own (src/alerts): stalled, queue too deep, failing, slow. */
  alerts: Type.Object(
    {
      /** Every node looks for alert conditions this often; the alert ids keep several nodes from notifying twice. */
      checkIntervalMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 30_000 }),
      /** Operators (user ids) told about every alert; the owner of a stalled or slow job is told too. */
      recipients: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
      /** A running job with no progress nor transition for this long is stalled. */
      stalledAfterMs: Type.Integer({ minimum: 1_000, default: 600_000 }),
      /** Queued jobs of one type at or above this many: the queue is too deep. */
      queueDepth: Type.Integer({ minimum: 1, default: 1_000 }),
      /** A type is failing when, of its jobs finished within windowMs, at least minFinished did and failureRate of them failed. */
      windowMs: Type.Integer({ minimum: 1_000, default: 900_000 }),
      minFinished: Type.Integer({ minimum: 1, default: 5 }),
      failureRate: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5 }),
      /** A running job is slow when its work time exceeds this many times the p90 of its type's completed durations. */
      slowFactor: Type.Number({ exclusiveMinimum: 1, default: 3 }),
    },
    { default: {} },
  ),
});

export type Config = Static<typeof ConfigSchema>;
