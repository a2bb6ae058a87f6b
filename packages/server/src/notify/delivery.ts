import { HeadwayError } from '@headway/protocol';
import type { NotificationRecord } from '../store/notification-store.js';
import { resolveTimeZone } from '../model/zone-clock.js';
import { retryDelayMs } from './backoff.js';
import type { NotificationChannel, SendResult } from './channels/channel.js';
import type { DispatcherDeps } from './dispatcher-deps.js';
import { channelsTried, escalationKey } from './plan.js';
import { quietHoursEnd } from './preferences/quiet-hours.js';
import { nextEscalationChannel } from './preferences/resolve.js';
import { digestStillWanted, skipReason } from './preferences/still-wanted.js';
import { defaultPreferences, type Preferences } from './preferences/schema.js';
import { defaultTemplate, type TemplateSource } from './templates/defaults.js';
import { renderMessage, type Recipient, type RenderedMessage } from './templates/render.js';
import { DIGEST_TEMPLATE, type NotificationView } from './types.js';

/**
 * Sends one claimed notification and records the attempt: quiet hours defer it (unless it
 * breaks through), failures back off exponentially with jitter until the attempt limit, then
 * dead; an urgent one that keeps failing is also sent on the user's next channel.
 */
export class Delivery {
  constructor(private readonly deps: DispatcherDeps) {}

  async deliver(claimed: NotificationRecord, stored: Preferences | undefined): Promise<void> {
    const { store, now, nodeId } = this.deps;
    const prefs = stored ?? defaultPreferences();
    const breakThrough = prefs.types[claimed.type]?.breakThrough ?? claimed.urgent;
    const quietUntil = breakThrough ? null : quietHoursEnd(now(), prefs.quietHours, prefs.timeZone);
    if (quietUntil !== null) {
      await store.notifications.defer(claimed.id, nodeId, quietUntil, now());
      return;
    }
    // Decided now, not when it was queued: a mute or a switch turned off since then holds.
    const wanted = this.stillWanted(claimed, prefs);
    if (typeof wanted === 'string') {
      if (await store.notifications.skip(claimed.id, nodeId, wanted, now())) this.deps.logger.info({ notificationId: claimed.id, reason: wanted }, 'notify:skipped, the user no longer wants it');
      return;
    }
    const row = wanted;
    const startedAt = now();
    const attempt = row.attempts + 1;
    let rendered: RenderedMessage | null = null;
    let result: SendResult;
    try {
      const channel = this.deps.channels.get(row.channel);
      if (!channel) throw new Error(`channel ${row.channel} is not configured on this node (set its settings, e.g. HEADWAY_SMTP_URL)`);
      rendered = await this.render(row, { id: row.userId, timeZone: resolveTimeZone(prefs.timeZone) ?? 'UTC' });
      result = await this.send(channel, row, rendered, prefs, attempt);
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error), retryable: false };
    }
    await this.record(row, attempt, startedAt, result, rendered);
    if (!result.ok && result.gone) await this.disableWebhook(row.userId, startedAt);
    if (!result.ok && row.urgent && !row.escalated && (attempt >= this.deps.settings.escalateAfterAttempts || !result.retryable)) await this.escalate(row, prefs);
  }

  /** The row to send (a digest without the items of jobs muted since), or why it is skipped. */
  private stillWanted(row: NotificationRecord, prefs: Preferences): NotificationRecord | string {
    const { criticalTypes } = this.deps.settings;
    const reason = skipReason(row, prefs, criticalTypes);
    if (reason !== null) return reason;
    const data = digestStillWanted(row.data, prefs, criticalTypes);
    if (data === null) return `skipped: ${row.userId} muted the job of every item in this digest`;
    return data === row.data ? row : { ...row, data };
  }

  /**
   * A saved template passed validation against a sample job only, so real data can still break it
   * (a loop over a huge number hits the memory limit): the user then gets the built-in template's
   * message, and the operator a warning naming the template. Only a broken built-in one fails the send.
   */
  private async render(row: NotificationRecord, recipient: Recipient): Promise<RenderedMessage> {
    const { engine } = this.deps.templates;
    const templateType = row.data.digest ? DIGEST_TEMPLATE : row.type;
    const source = await this.deps.templates.resolve(templateType, row.channel);
    const builtIn = defaultTemplate(templateType, row.channel);
    try {
      return renderMessage(engine, row.channel, source, row.data, recipient);
    } catch (error) {
      if (sameTemplate(source, builtIn)) throw error;
      const reason = renderErrorOf(error);
      this.deps.logger.warn(
        { notificationId: row.id, templateType, channel: row.channel, reason },
        `notify:template ${templateType}/${row.channel} failed to render (${reason}); sent with the built-in template instead. Fix or reset it: PUT or DELETE /v1/notification-templates/${templateType}/${row.channel}`,
      );
      return renderMessage(engine, row.channel, builtIn, row.data, recipient);
    }
  }

  private async send(channel: NotificationChannel, row: NotificationRecord, rendered: RenderedMessage, prefs: Preferences, attempt: number): Promise<SendResult> {
    try {
      return await channel.send({ id: row.id, userId: row.userId, type: row.type, attempt, rendered, contacts: prefs.contacts, view: viewOf(row) });
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error), retryable: true };
    }
  }

  private async record(row: NotificationRecord, attempt: number, startedAt: number, result: SendResult, rendered: RenderedMessage | null): Promise<void> {
    const { store, now, nodeId, settings, random, logger } = this.deps;
    const endedAt = now();
    const dead = !result.ok && (!result.retryable || attempt >= settings.maxAttempts);
    const status = result.ok ? 'sent' : dead ? 'dead' : 'failed';
    const error = result.ok ? null : result.error;
    const dueAt = status === 'failed' && !result.ok ? endedAt + retryDelayMs(attempt, { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs }, random(), result) : undefined;
    const kept = await store.notifications.complete(
      {
        id: row.id,
        leaseOwner: nodeId,
        status,
        ...(dueAt !== undefined ? { dueAt } : {}),
        attempt: { attempt, channel: row.channel, startedAt, endedAt, outcome: status, error },
        title: rendered?.subject ?? null,
        text: rendered?.text ?? null,
      },
      endedAt,
    );
    if (kept && result.ok) result.afterRecorded?.();
    if (!kept) logger.warn({ notificationId: row.id }, 'notify:lease lost while sending (another node re-sent it after the lease expired)');
    else if (!result.ok) logger.warn({ notificationId: row.id, channel: row.channel, attempt, status, error }, `notify:send failed${dead ? ', giving up' : ', will retry'}`);
  }

  private async escalate(row: NotificationRecord, prefs: Preferences): Promise<void> {
    const { store, now, newId, channels, logger } = this.deps;
    const next = nextEscalationChannel(prefs, channelsTried(row.key), new Set(channels.keys()), row.type);
    await store.notifications.markEscalated(row.id);
    if (next === null) return;
    const escalation = { id: newId(), key: escalationKey(row.key, next), userId: row.userId, type: row.type, channel: next, jobId: row.jobId, urgent: true, data: row.data, dueAt: now(), escalatedFrom: row.id };
    await store.notifications.enqueue({ notifications: [escalation], digestItems: [] }, now());
    logger.info({ notificationId: row.id, from: row.channel, to: next }, 'notify:escalated to the next channel');
  }

  /** 410 Gone: the receiver says the endpoint no longer exists; stop calling it until the user saves it again. */
  private async disableWebhook(userId: string, at: number): Promise<void> {
    const { store, logger } = this.deps;
    let disabled = false;
    // On the stored row under its lock, so a mute or a save made meanwhile is not undone.
    await store.notifications.updatePreferences(
      userId,
      (prefs) => {
        const webhook = prefs.contacts.webhook;
        if (!webhook || webhook.disabledAt !== null) return prefs;
        disabled = true;
        return { ...prefs, contacts: { ...prefs.contacts, webhook: { ...webhook, disabledAt: at } } };
      },
      at,
    );
    if (disabled) logger.warn({ userId }, 'notify:webhook endpoint answered 410 Gone and is disabled');
  }
}

/**
 * What went wrong, for the operator's log: the field, position and reason, never the notification's
 * data or rendered text (JSON.parse quotes the text it failed on, which holds the job's data).
 */
function renderErrorOf(error: unknown): string {
  if (error instanceof HeadwayError && error.details?.field === 'json' && error.details.line === null) return 'template field "json" does not render valid JSON';
  return error instanceof Error ? error.message : String(error);
}

function sameTemplate(a: TemplateSource, b: TemplateSource): boolean {
  return a.subject === b.subject && a.text === b.text && a.html === b.html && a.json === b.json;
}

export function viewOf(row: NotificationRecord): NotificationView {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type,
    channel: row.channel,
    jobId: row.jobId,
    status: row.status,
    urgent: row.urgent,
    attempts: row.attempts,
    dueAt: row.dueAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    sentAt: row.sentAt,
    readAt: row.readAt,
    seenAt: row.seenAt,
    lastError: row.lastError,
    escalatedFrom: row.escalatedFrom,
    title: row.title,
    text: row.text,
    data: row.data,
  };
}
