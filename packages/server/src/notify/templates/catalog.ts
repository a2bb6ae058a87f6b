import type { NotificationStore } from '../../store/notification-store.js';
import type { ChannelName, NotificationData } from '../types.js';
import { DIGEST_TEMPLATE, JOB_NOTIFICATION_TYPES } from '../types.js';
import { withBuiltIn, type TemplateSource } from './defaults.js';
import { TemplateEngine } from './engine.js';
import { validateTemplate, renderMessage, SAMPLE_RECIPIENT, type RenderedMessage } from './render.js';
import { sampleData } from './sample.js';

/** Overrides stay cached this long, so a busy dispatcher does not read them per message, and a save elsewhere shows up soon. */
const CACHE_MS = 2_000;

/** Templates by type × channel: a saved override's fields over the built-in ones. */
export class TemplateCatalog {
  readonly engine = new TemplateEngine();
  private readonly cache = new Map<string, { source: TemplateSource | null; at: number }>();

  constructor(
    private readonly store: NotificationStore,
    private readonly now: () => number,
  ) {}

  async resolve(type: string, channel: ChannelName): Promise<TemplateSource> {
    const key = `${type}|${channel}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < CACHE_MS) return withBuiltIn(type, channel, cached.source);
    const source = await this.store.getTemplate(type, channel);
    this.cache.set(key, { source, at: this.now() });
    return withBuiltIn(type, channel, source);
  }

  /** Validates (TEMPLATE_INVALID with line and reason) and saves; returns the sample rendering of the template now in use. */
  async save(type: string, channel: ChannelName, source: TemplateSource): Promise<RenderedMessage> {
    const rendered = validateTemplate(this.engine, channel, source, withBuiltIn(type, channel, source), sampleData(type));
    await this.store.putTemplate(type, channel, source, this.now());
    this.cache.delete(`${type}|${channel}`);
    return rendered;
  }

  async reset(type: string, channel: ChannelName): Promise<boolean> {
    this.cache.delete(`${type}|${channel}`);
    return this.store.deleteTemplate(type, channel);
  }

  /** Renders a template (the given one over the built-in, else the current one) against a sample job, or the given data. */
  async preview(type: string, channel: ChannelName, source?: TemplateSource, data?: NotificationData): Promise<RenderedMessage> {
    const template = source ? withBuiltIn(type, channel, source) : await this.resolve(type, channel);
    if (source) validateTemplate(this.engine, channel, source, template, sampleData(type));
    return renderMessage(this.engine, channel, template, data ?? sampleData(type), SAMPLE_RECIPIENT);
  }

  /** Types with built-in templates (any other dotted type falls back to a generic one). */
  static knownTypes(): string[] {
    return [...JOB_NOTIFICATION_TYPES, DIGEST_TEMPLATE, 'alert.stalled', 'alert.queue_deep', 'alert.failing', 'alert.slow'];
  }
}
