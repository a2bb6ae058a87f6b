import ipaddr from 'ipaddr.js';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { SmtpTls } from './smtp.js';

/**
 * Plain SMTP on loopback (tests, local relays) stays on this host and has no certificate to check.
 * Elsewhere smtp:// must upgrade with STARTTLS before the login and the mail, unless the operator
 * allowed a server without it (then it is used when offered, and a warning says what is at stake).
 */
export function smtpTls(smtp: NonNullable<Config['smtp']>, logger: Logger): SmtpTls {
  if (smtp.secure) return 'implicit';
  if (isLoopbackHost(smtp.host)) return 'none';
  if (!smtp.allowUnencrypted) return 'required';
  // Host and port only: the URL carries the credentials.
  logger.warn(
    { smtpHost: smtp.host, smtpPort: smtp.port },
    'notify:email HEADWAY_SMTP_ALLOW_UNENCRYPTED is set: if the SMTP server offers no STARTTLS, its login and every mail cross the network unencrypted; use smtps:// or a server with STARTTLS and remove the variable',
  );
  return 'optional';
}

/** localhost, or an address in 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address); a URL keeps IPv6 in brackets. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (!ipaddr.isValid(literal)) return false;
  return ipaddr.process(literal).range() === 'loopback';
}
