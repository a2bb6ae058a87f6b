import type { SendResult } from './channel.js';

/** What nodemailer puts on a failed send: its error kind, the server's reply code and the command answered. */
interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
}

/** Commands whose 5xx answer is about this one message (its recipient or its content), not the server setup. */
const PER_MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);
/** 5xx replies that mean "authenticate first / your credentials are wrong", whatever the command. */
const AUTH_CODES = new Set([530, 534, 535, 538]);

export interface SmtpFailure {
  result: SendResult;
  /** Set when the failure is the server's or the operator's (credentials, connection, TLS, sender): worth a warning. */
  operatorProblem?: string;
}

/**
 * Only a per-message rejection is permanent (550 mailbox unavailable, 553 bad address at RCPT TO,
 * 552/554 content refused at DATA, an address nodemailer cannot parse). Authentication, connection,
 * TLS and sender (MAIL FROM) failures are not the message's fault: they hit every mail alike, so
 * they are retried until the operator fixes the setting instead of killing every notification.
 */
export function smtpFailureOf(error: unknown): SmtpFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const message = e.message ?? String(error);
  const code = e.responseCode;
  const perMessage =
    (code !== undefined && code >= 500 && code < 600 && !AUTH_CODES.has(code) && e.command !== undefined && PER_MESSAGE_COMMANDS.has(e.command)) ||
    (e.code === 'EENVELOPE' && e.command === 'API' && /recipient/i.test(message)) ||
    (e.code === 'EMESSAGE' && e.command === 'MAIL FROM');
  if (perMessage) return { result: { ok: false, error: message, retryable: false } };
  return { result: { ok: false, error: message, retryable: true }, ...(isOperatorProblem(e) ? { operatorProblem: hintOf(e) } : {}) };
}

function isOperatorProblem(e: SmtpError): boolean {
  return e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'EDNS' || e.code === 'ECONNECTION' || e.command === 'MAIL FROM' || (e.responseCode !== undefined && AUTH_CODES.has(e.responseCode));
}

function hintOf(e: SmtpError): string {
  const reply = e.responseCode !== undefined ? ` (${e.command ?? 'SMTP'} answered ${e.responseCode})` : '';
  if (e.code === 'EAUTH' || (e.responseCode !== undefined && AUTH_CODES.has(e.responseCode))) return `the SMTP server refused the login${reply}: check the user and password in HEADWAY_SMTP_URL; emails are kept and retried`;
  if (e.command === 'MAIL FROM') return `the SMTP server refused the sender${reply}: check HEADWAY_SMTP_FROM; emails are kept and retried`;
  if (e.code === 'ETLS') return `TLS with the SMTP server failed: check smtp:// vs smtps:// and the port in HEADWAY_SMTP_URL; emails are kept and retried`;
  return `cannot reach the SMTP server${reply}: check the host and port in HEADWAY_SMTP_URL; emails are kept and retried`;
}
