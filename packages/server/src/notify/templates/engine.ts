import { HeadwayError } from '@headway/protocol';
import { Context, Liquid, type Template } from 'liquidjs';
import { readDatesAsMilliseconds } from './date-filters.js';

/** Tags that reach for other files (include/render/layout/block): removed, so a template cannot read any file. */
const FILE_TAGS = ['include', 'render', 'layout', 'block'];

/** Guards against templates that loop or grow without end (values from liquidjs' docs: ms, bytes). */
const LIMITS = { parseLimit: 100_000, renderLimit: 200, memoryLimit: 10_000_000 };
const MAX_CACHED = 500;

/**
 * The sandboxed Liquid engine for user-editable templates: no file system (in-memory `templates`
 * with no entries, file tags removed), unknown filters rejected when a template is saved, only
 * own properties readable (no `constructor`/prototype walking), and bounded parse and render
 * work. Liquid has no expression that calls a function, so a template cannot run code.
 * The HTML flavour escapes every `{{ }}` output. Date filters read Headway's millisecond times and
 * print them in the recipient's time zone.
 */
export class TemplateEngine {
  private readonly plain = sandboxed(false);
  private readonly html = sandboxed(true);
  /** Parsed templates by field and text: the dispatcher renders the same few templates thousands of times. */
  private readonly parsed = new Map<string, Template[]>();

  /** Parses one field; a broken template throws TEMPLATE_INVALID naming the field, line, column and reason. */
  parse(field: string, source: string): Template[] {
    const key = `${field === 'html' ? 'html' : 'plain'}\u0000${source}`;
    const cached = this.parsed.get(key);
    if (cached) return cached;
    try {
      const parsed = this.engineFor(field).parse(source);
      if (this.parsed.size >= MAX_CACHED) this.parsed.clear();
      this.parsed.set(key, parsed);
      return parsed;
    } catch (error) {
      throw templateInvalid(field, error);
    }
  }

  /** `timeZone` (IANA) is where the date filters show times unless a template names another zone. */
  render(field: string, source: string, data: object, timeZone: string): string {
    const parsed = this.parse(field, source);
    const liquid = this.engineFor(field);
    try {
      // liquidjs takes the zone from its options only; a context of our own carries the recipient's.
      const context = new Context(data, { ...liquid.options, timezoneOffset: timeZone }, { sync: true }, { liquid });
      return liquid.renderSync(parsed, context) as string;
    } catch (error) {
      throw templateInvalid(field, error);
    }
  }

  private engineFor(field: string): Liquid {
    return field === 'html' ? this.html : this.plain;
  }
}

function sandboxed(escapeOutput: boolean): Liquid {
  const liquid = new Liquid({
    templates: {},
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    timezoneOffset: 'UTC',
    ...(escapeOutput ? { outputEscape: 'escape' as const } : {}),
    ...LIMITS,
  });
  for (const tag of FILE_TAGS) delete liquid.tags[tag];
  readDatesAsMilliseconds(liquid);
  return liquid;
}

function templateInvalid(field: string, error: unknown): HeadwayError {
  const message = error instanceof Error ? error.message : String(error);
  const position = /line:(\d+), col:(\d+)/.exec(message);
  const reason = message.replace(/, line:\d+, col:\d+$/, '').replace(/^tag "?(\w+)"? not found$/, 'tag "$1" is not allowed (templates cannot include or read files)');
  const line = position ? Number(position[1]) : null;
  const column = position ? Number(position[2]) : null;
  const where = line === null ? '' : ` at line ${line}, column ${column}`;
  return new HeadwayError('TEMPLATE_INVALID', `template field "${field}"${where}: ${reason}`, { field, line, column, reason });
}
