import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { Config } from '../../config/config.js';
import type { ChannelName } from '../types.js';
import type { NotificationChannel } from './channel.js';
import { inAppChannel } from './in-app.js';
import { logChannel } from './log.js';
import { smsChannel } from './sms.js';
import { smtpChannel, type SmtpTls } from './smtp.js';
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

/**
 * Plain SMTP on loopback (tests, local relays) stays on this host and has no certificate to check.
 * Elsewhere smtp:// must upgrade with STARTTLS before the login and the mail, unless the operator
 * allowed a server without it (then it is used when offered, and a warning says what is at stake).
 */
function smtpTls(smtp: NonNullable<Config['smtp']>, logger: Logger): SmtpTls {
  if (smtp.secure) return 'implicit';
  if (isLoopback(smtp.host)) return 'none';
  if (!smtp.allowUnencrypted) return 'required';
  // Host and port only: the URL carries the credentials.
  logger.warn(
    { smtpHost: smtp.host, smtpPort: smtp.port },
    'notify:email HEADWAY_SMTP_ALLOW_UNENCRYPTED is set: if the SMTP server offers no STARTTLS, its login and every mail cross the network unencrypted; use smtps:// or a server with STARTTLS and remove the variable',
  );
  return 'optional';
}

function isLoopback(host: string): boolean {
  // A URL's hostname keeps an IPv6 address in brackets: [::1].
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
