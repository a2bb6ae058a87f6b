import { HeadwayError } from '@headway/protocol';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './config.js';

/** Options the CLI passes on (commander gives strings for values, booleans for switches). */
export interface ConfigFlags {
  port?: string | number;
  host?: string;
  db?: string;
  redis?: string;
  demo?: boolean;
  logLevel?: string;
}

type Env = Record<string, string | undefined>;

/** Where each top-level setting can come from: its flag (if any) and its environment variable. */
const SOURCES: Record<string, { flag?: keyof ConfigFlags; env: string; numeric?: boolean; boolean?: boolean }> = {
  host: { flag: 'host', env: 'HEADWAY_HOST' },
  port: { flag: 'port', env: 'HEADWAY_PORT', numeric: true },
  db: { flag: 'db', env: 'HEADWAY_DB' },
  redis: { flag: 'redis', env: 'HEADWAY_REDIS' },
  redisPrefix: { env: 'HEADWAY_REDIS_PREFIX' },
  demo: { flag: 'demo', env: 'HEADWAY_DEMO', boolean: true },
  adminKey: { env: 'HEADWAY_ADMIN_KEY' },
  tokenSecret: { env: 'HEADWAY_TOKEN_SECRET' },
  nodeId: { env: 'HEADWAY_NODE_ID' },
  flushIntervalMs: { env: 'HEADWAY_FLUSH_INTERVAL_MS', numeric: true },
  announceIntervalMs: { env: 'HEADWAY_ANNOUNCE_INTERVAL_MS', numeric: true },
  journalAdoptAfterMs: { env: 'HEADWAY_JOURNAL_ADOPT_AFTER_MS', numeric: true },
  leaseMs: { env: 'HEADWAY_LEASE_MS', numeric: true },
  retentionDays: { env: 'HEADWAY_RETENTION_DAYS', numeric: true },
  bodyLimitBytes: { env: 'HEADWAY_BODY_LIMIT_BYTES', numeric: true },
  rateLimitPerMinute: { env: 'HEADWAY_RATE_LIMIT_PER_MINUTE', numeric: true },
  corsOrigins: { env: 'HEADWAY_CORS_ORIGINS' },
  logLevel: { flag: 'logLevel', env: 'HEADWAY_LOG_LEVEL' },
};

/**
 * Builds the one Config: flags win over `HEADWAY_*` environment variables, which win over the
 * schema's defaults. Bad values fail here, at boot, with a message naming the setting and
 * where it came from. This is the only module that reads the environment (passed in).
 */
export function loadConfig(flags: ConfigFlags, env: Env): Config {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [name, source] of Object.entries(SOURCES)) {
    const fromFlag = source.flag ? flags[source.flag] : undefined;
    const fromEnv = nonEmpty(env[source.env]);
    if (fromFlag !== undefined && fromFlag !== false) {
      raw[name] = source.numeric ? toNumber(fromFlag) : fromFlag;
      origin[name] = `--${kebab(source.flag!)}`;
    } else if (fromEnv !== undefined) {
      raw[name] = source.numeric ? toNumber(fromEnv) : source.boolean ? toBoolean(fromEnv) : fromEnv;
      origin[name] = source.env;
    }
  }
  const smtp = smtpFromEnv(env);
  if (smtp) {
    raw.smtp = smtp;
    origin.smtp = 'HEADWAY_SMTP_URL';
  } else if (nonEmpty(env.HEADWAY_SMTP_ALLOW_UNENCRYPTED) !== undefined) {
    throw new HeadwayError('VALIDATION_FAILED', 'HEADWAY_SMTP_ALLOW_UNENCRYPTED is set but HEADWAY_SMTP_URL is not: set the SMTP server, or remove the variable');
  }
  const sms = smsFromEnv(env);
  if (sms) {
    raw.sms = sms;
    origin.sms = 'HEADWAY_SMS_*';
  }
  for (const section of ['notify', 'alerts'] as const) {
    const settings = sectionFromEnv(env, section);
    if (Object.keys(settings.values).length > 0) {
      raw[section] = settings.values;
      Object.assign(origin, settings.origin);
    }
  }
  const config = Value.Default(ConfigSchema, raw) as Config;
  const firstError = Value.Errors(ConfigSchema, config).First();
  if (firstError) {
    const path = firstError.path.split('/').filter(Boolean);
    const setting = path.join('.');
    const top = path[0]!;
    const source = path.map((_, i) => origin[path.slice(0, path.length - i).join('.')]).find((o) => o !== undefined);
    const from = source ? ` (from ${source})` : '';
    const shown = SECRET_SETTINGS.has(top) ? '' : ` ${JSON.stringify(firstError.value)}`;
    throw new HeadwayError('VALIDATION_FAILED', `invalid setting "${setting}"${from}:${shown} ${firstError.message.toLowerCase()}`);
  }
  if (config.notify.backoffBaseMs > config.notify.backoffMaxMs) {
    throw new HeadwayError('VALIDATION_FAILED', `invalid setting "notify.backoffBaseMs": ${config.notify.backoffBaseMs} is more than notify.backoffMaxMs (${config.notify.backoffMaxMs}); raise HEADWAY_NOTIFY_BACKOFF_MAX_MS or lower HEADWAY_NOTIFY_BACKOFF_BASE_MS`);
  }
  return config;
}

/**
 * Every notify.* and alerts.* setting is `HEADWAY_<SECTION>_<SETTING_IN_SNAKE_CASE>` (taken from the
 * schema, so a new setting cannot be forgotten): numbers and booleans as text, lists comma-separated,
 * and milestones as `report.build=10,50,90;import=25,75` (or a JSON object).
 */
function sectionFromEnv(env: Env, section: 'notify' | 'alerts'): { values: Record<string, unknown>; origin: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [name, schema] of Object.entries(ConfigSchema.properties[section].properties)) {
    const variable = `HEADWAY_${section.toUpperCase()}_${snake(name)}`;
    const text = nonEmpty(env[variable]);
    if (text === undefined) continue;
    const kind = (schema as { type?: string }).type;
    values[name] = kind === 'integer' || kind === 'number' ? toNumber(text) : kind === 'boolean' ? toBoolean(text) : kind === 'array' ? listOf(text) : name === 'milestones' ? milestonesOf(text, variable) : text;
    origin[`${section}.${name}`] = variable;
  }
  return { values, origin };
}

function listOf(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function milestonesOf(text: string, variable: string): unknown {
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HeadwayError('VALIDATION_FAILED', `invalid setting "notify.milestones" (from ${variable}): not valid JSON; use report.build=10,50,90;import=25,75 or {"report.build":[10,50,90]}`);
    }
  }
  const milestones: Record<string, unknown[]> = {};
  for (const entry of text.split(';').map((e) => e.trim()).filter((e) => e !== '')) {
    const [type, percents] = entry.split('=', 2).map((part) => part.trim());
    if (!type || percents === undefined) throw new HeadwayError('VALIDATION_FAILED', `invalid setting "notify.milestones" (from ${variable}): ${JSON.stringify(entry)} is not <job type>=<percent>,<percent>; e.g. report.build=10,50,90;import=25,75`);
    milestones[type] = listOf(percents).map(toNumber);
  }
  return milestones;
}

const SECRET_SETTINGS = new Set(['adminKey', 'tokenSecret', 'smtp', 'sms']);

/** `smtp://user:pass@host:587?from=Ops%20<ops@x>`; `smtps://` means TLS from the start. */
function smtpFromEnv(env: Env): Record<string, unknown> | undefined {
  const value = nonEmpty(env.HEADWAY_SMTP_URL);
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HeadwayError('VALIDATION_FAILED', 'invalid setting "smtp" (from HEADWAY_SMTP_URL): not a URL; use smtp://user:pass@host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new HeadwayError('VALIDATION_FAILED', `invalid setting "smtp" (from HEADWAY_SMTP_URL): scheme "${url.protocol}" is not smtp: or smtps:`);
  }
  const secure = url.protocol === 'smtps:';
  const from = nonEmpty(env.HEADWAY_SMTP_FROM) ?? url.searchParams.get('from') ?? undefined;
  const allowText = nonEmpty(env.HEADWAY_SMTP_ALLOW_UNENCRYPTED);
  const allowUnencrypted = allowText === undefined ? false : toBoolean(allowText);
  if (typeof allowUnencrypted !== 'boolean') {
    throw new HeadwayError('VALIDATION_FAILED', `invalid setting "smtp.allowUnencrypted" (from HEADWAY_SMTP_ALLOW_UNENCRYPTED): ${JSON.stringify(allowText)} is not true or false`);
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { user: decodedCredential(url.username, 'user name') } : {}),
    ...(url.password ? { pass: decodedCredential(url.password, 'password') } : {}),
    ...(from ? { from } : {}),
    allowUnencrypted,
  };
}

/** The credential itself is never shown: the message says which part to fix and how. */
function decodedCredential(encoded: string, what: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HeadwayError(
      'VALIDATION_FAILED',
      `invalid setting "smtp" (from HEADWAY_SMTP_URL): the ${what} has a "%" that is not followed by two hex digits; percent-encode special characters in it (% as %25, @ as %40, : as %3A, / as %2F, # as %23)`,
    );
  }
}

/** An SMS provider needs all four settings; some but not all is a mistake worth failing on. */
function smsFromEnv(env: Env): Record<string, unknown> | undefined {
  const parts = {
    baseUrl: nonEmpty(env.HEADWAY_SMS_BASE_URL),
    accountSid: nonEmpty(env.HEADWAY_SMS_ACCOUNT_SID),
    authToken: nonEmpty(env.HEADWAY_SMS_AUTH_TOKEN),
    from: nonEmpty(env.HEADWAY_SMS_FROM),
  };
  const missing = Object.entries(parts).filter(([, v]) => v === undefined).map(([k]) => `HEADWAY_SMS_${snake(k)}`);
  if (missing.length === 4) return undefined;
  if (missing.length > 0) throw new HeadwayError('VALIDATION_FAILED', `invalid setting "sms": also set ${missing.join(', ')} (or none of the HEADWAY_SMS_* variables)`);
  return parts;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Numbers stay strings when they do not parse, so the schema check reports the raw value. */
function toNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

function toBoolean(value: string): unknown {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  return value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}
