import { HeadwayError } from '@headway/protocol';
import type { ChannelName, NotificationData } from '../types.js';
import { TEMPLATE_FIELDS, type TemplateSource } from './defaults.js';
import type { TemplateEngine } from './engine.js';

/** A notification rendered for one channel. `json` is the exact webhook body (already compact JSON). */
export interface RenderedMessage {
  subject: string | null;
  text: string | null;
  html: string | null;
  json: string | null;
}

/** Who a message is for: date filters show times in `timeZone` (IANA, from the preferences). */
export interface Recipient {
  id: string;
  timeZone: string;
}

export const SAMPLE_RECIPIENT: Recipient = { id: 'sample-user', timeZone: 'UTC' };

/** Every key present (null when absent), so `{{ percent | json }}` prints `null`, never nothing. */
function contextOf(data: NotificationData, recipient: Recipient): object {
  return { percent: null, counts: null, alert: null, digest: null, ...data, user: { id: recipient.id, timeZone: recipient.timeZone } };
}

export function renderMessage(engine: TemplateEngine, channel: ChannelName, source: TemplateSource, data: NotificationData, recipient: Recipient): RenderedMessage {
  const context = contextOf(data, recipient);
  const out: RenderedMessage = { subject: null, text: null, html: null, json: null };
  for (const field of TEMPLATE_FIELDS[channel]) {
    const template = source[field];
    if (template === undefined) continue;
    const rendered = engine.render(field, template, context, recipient.timeZone);
    out[field] = field === 'subject' ? rendered.replace(/\s+/g, ' ').trim() : rendered;
  }
  if (out.json !== null) out.json = compactJson(out.json);
  return out;
}

/** A webhook template must produce one JSON document; it is re-serialised so the signed body is canonical. */
function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeadwayError('TEMPLATE_INVALID', `template field "json" does not render valid JSON (${reason}); use the json filter for values, e.g. {{ job.title | json }}`, {
      field: 'json',
      line: null,
      column: null,
      reason,
    });
  }
}

/**
 * Checks an override before it is saved: the channel's fields only, each one parses, and the
 * template it makes (`inUse`: its fields over the built-in ones) renders against a sample
 * notification (a webhook template must give valid JSON).
 */
export function validateTemplate(engine: TemplateEngine, channel: ChannelName, source: TemplateSource, inUse: TemplateSource, sample: NotificationData): RenderedMessage {
  const allowed = TEMPLATE_FIELDS[channel];
  for (const field of Object.keys(source)) {
    if (!allowed.includes(field as keyof TemplateSource)) {
      throw new HeadwayError('TEMPLATE_INVALID', `a ${channel} template has no field "${field}"; its fields are ${allowed.join(', ')}`, { field, line: null, column: null, reason: 'unknown field' });
    }
  }
  for (const field of allowed) if (source[field] !== undefined) engine.parse(field, source[field]!);
  return renderMessage(engine, channel, inUse, sample, SAMPLE_RECIPIENT);
}
