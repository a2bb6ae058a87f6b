import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { Config } from '../../config/config.js';
import type { ChannelName } from '../types.js';
import type { NotificationChannel } from './channel.js';
import { inAppChannel } from './in-app.js';
import { logChannel } from './log.js';
import { smsChannel } from './sms.js';
import { smtpChannel } from './smtp.js';
import { smtpTls } from './smtp-tls.js';
import { webhookChannel } from './webhook.js';

/** The channels this node can send on: email and SMS only when configured (nothing is opened otherwise). */
export function channelsFromConfig(config: Config, bus: Bus, logger: Logger, now: () => number): Map<ChannelName, NotificationChannel> {
  const channels: NotificationChannel[] = [inAppChannel(bus), logChannel(logger), webhookChannel({ timeoutMs: config.notify.webhookTimeoutMs, nowMs: now, allowedNetworks: config.notify.webhookAllowedNetworks })];
  // One connection per email the send pool lets run at once: fewer would queue sends inside nodemailer, more stay idle.
  const maxConnections = Math.min(config.notify.channelConcurrency, config.notify.concurrency);
  if (config.smtp) channels.push(smtpChannel(config.smtp, { maxConnections, tls: smtpTls(config.smtp, logger), logger, nowMs: now }));
  if (config.sms) channels.push(smsChannel(config.sms, { timeoutMs: config.notify.webhookTimeoutMs }));
  return new Map(channels.map((c) => [c.name, c]));
}
