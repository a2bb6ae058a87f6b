import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { Config } from '../../config/config.js';
import type { ChannelName } from '../types.js';
import type { NotificationChannel } from './channel.js';
import { inAppChannel } from './in-app.js';
import { logChannel } from './log.js';
import { smsChannel } from './sms.js';
import { smtpChannel } from './smtp.js';
import { webhookChannel } from './webhook.js';

/** The channels this node can send on: email and SMS only when configured (nothing is opened otherwise). */
export function channelsFromConfig(config: Config, bus: Bus, logger: Logger, now: () => number): Map<ChannelName, NotificationChannel> {
  const channels: NotificationChannel[] = [inAppChannel(bus), logChannel(logger), webhookChannel({ timeoutMs: config.notify.webhookTimeoutMs, nowMs: now, allowedNetworks: config.notify.webhookAllowedNetworks })];
  // Plain SMTP on loopback (tests, local relays) has no certificate to check; elsewhere STARTTLS is used when offered.
  if (config.smtp) channels.push(smtpChannel(config.smtp, { maxConnections: Math.min(config.notify.concurrency, 8), ignoreTLS: isLoopback(config.smtp.host), logger, nowMs: now }));
  if (config.sms) channels.push(smsChannel(config.sms, { timeoutMs: config.notify.webhookTimeoutMs }));
  return new Map(channels.map((c) => [c.name, c]));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
