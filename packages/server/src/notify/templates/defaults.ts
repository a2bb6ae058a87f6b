import { DIGEST_TEMPLATE, type ChannelName } from '../types.js';
import { ALERT_WORDS } from './alert-templates.js';

/** The fields of one channel's template: email has subject + text + HTML, SMS a short text, webhooks a JSON document. */
export interface TemplateSource {
  subject?: string;
  text?: string;
  html?: string;
  json?: string;
}

export const TEMPLATE_FIELDS: Record<ChannelName, readonly (keyof TemplateSource)[]> = {
  email: ['subject', 'text', 'html'],
  sms: ['text'],
  webhook: ['json'],
  in_app: ['subject', 'text'],
  log: ['text'],
};

const NAME = `{{ job.title | default: job.type }}`;

/** One line per type: what happened, in words. */
const HEADLINES: Record<string, string> = {
  'job.started': `${NAME} started`,
  'job.completed': `${NAME} finished`,
  'job.failed': `${NAME} failed{% if job.error %}: {{ job.error.message }}{% endif %}`,
  'job.cancelled': `${NAME} was cancelled`,
  'job.milestone': `${NAME} is {{ percent }}% done`,
  'batch.completed': `${NAME} finished: {{ counts.completed }} done, {{ counts.failed }} failed of {{ counts.total }}`,
  [DIGEST_TEMPLATE]: `{{ digest.count }} {{ type }} notification{% if digest.count != 1 %}s{% endif %}`,
};
const ALERT_HEADLINE = `Alert: {{ alert.message | default: type }}`;

const DIGEST_LINES = `{% for item in digest.items %}- {{ item.job.title | default: item.job.type }} ({{ item.type }}{% if item.job.status %}, {{ item.job.status }}{% endif %})
{% endfor %}`;
const DIGEST_HTML = `<ul>{% for item in digest.items %}<li>{{ item.job.title | default: item.job.type }} ({{ item.type }})</li>{% endfor %}</ul>`;

const DETAILS = `{% if job %}Job {{ job.id }} ({{ job.type }}) is {{ job.status }}, {{ job.percent | round }}% done.{% if job.message %}
{{ job.message }}{% endif %}{% endif %}`;

/** The built-in template of a type and channel; unknown types (new alert kinds) get a generic one. */
export function defaultTemplate(type: string, channel: ChannelName): TemplateSource {
  const alert = ALERT_WORDS[type];
  const headline = alert?.headline ?? HEADLINES[type] ?? (type.startsWith('alert.') ? ALERT_HEADLINE : `{{ type }}{% if job %}: ${NAME}{% endif %}`);
  const isDigest = type === DIGEST_TEMPLATE;
  const body = alert?.body ?? (isDigest ? DIGEST_LINES : DETAILS);
  switch (channel) {
    case 'email':
      return {
        subject: headline,
        text: `${headline}\n\n${body}\n`,
        html: `<p><strong>${headline}</strong></p>${isDigest ? DIGEST_HTML : `<p>${body.replaceAll('\n', '<br>')}</p>`}`,
      };
    case 'sms':
      return { text: `Headway: ${headline}` };
    case 'webhook':
      return { json: `{"type": {{ type | json }}, "timestamp": {{ at | json }}, "data": {"job": {{ job | json }}${isDigest ? ', "digest": {{ digest | json }}' : ''}, "percent": {{ percent | json }}, "counts": {{ counts | json }}, "alert": {{ alert | json }}}}` };
    case 'in_app':
      return { subject: headline, text: body };
    case 'log':
      return { text: headline };
  }
}

/** The template in use: an override's fields over the built-in ones, so a field it leaves out keeps the built-in text. */
export function withBuiltIn(type: string, channel: ChannelName, override: TemplateSource | null): TemplateSource {
  const builtIn = defaultTemplate(type, channel);
  if (!override) return builtIn;
  const merged: TemplateSource = { ...builtIn };
  for (const field of overriddenFields(channel, override)) merged[field] = override[field];
  return merged;
}

/** The fields of the channel's template an override sets, in the channel's order; the others are built-in. */
export function overriddenFields(channel: ChannelName, override: TemplateSource | null): Array<keyof TemplateSource> {
  return override ? TEMPLATE_FIELDS[channel].filter((field) => override[field] !== undefined) : [];
}
