/**
 * Text that JSON carries but the stores cannot keep as sent: NUL (PostgreSQL's text and jsonb
 * refuse it; SQLite would keep it, so the two stores would disagree) and unpaired UTF-16
 * surrogates (jsonb refuses their escapes; text columns on both stores turn them into U+FFFD).
 * Such input is refused at the edge with the field that holds it, before anything is stored.
 */

/** One offending string: where it is, and whether it was an object key there. */
export interface UnstorableText {
  /** Path segments from the root: object keys and array indexes. */
  path: Array<string | number>;
  /** Set when the offending string is this object key (of the value at `path`). */
  key?: string;
  problem: 'nul' | 'lone-surrogate';
}

/**
 * Cheap test on raw JSON text: false means its parsed value cannot hold unstorable text. JSON can
 * carry NUL or a lone surrogate only as a \u escape, so one indexOf rules out almost every body;
 * only `\u0000` and `\uD800`-`\uDFFF` escapes then call for the walk (an escaped backslash before
 * "u0000" is a false alarm that walk clears). A scan loop, not a regex: several times faster when
 * a body holds harmless escapes (\u001b, or the non-ASCII text of Python's json.dumps).
 */
export function jsonMayHoldUnstorableText(json: string): boolean {
  for (let at = json.indexOf('\\u'); at !== -1; at = json.indexOf('\\u', at + 2)) {
    if (isSuspectEscape(json, at + 2)) return true;
  }
  return false;
}

/** Whether the 4 hex digits at `at` are 0000 or D800-DFFF (any case). */
function isSuspectEscape(json: string, at: number): boolean {
  const first = json.charCodeAt(at);
  if (first === 0x30) return json.startsWith('000', at + 1);
  if ((first | 0x20) !== 0x64) return false; // d or D
  const second = json.charCodeAt(at + 1) | 0x20;
  return second === 0x38 || second === 0x39 || (second >= 0x61 && second <= 0x66); // 8, 9, a-f
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemIn(text: string): UnstorableText['problem'] | null {
  if (text.indexOf('\0') !== -1) return 'nul';
  return LONE_SURROGATE.test(text) ? 'lone-surrogate' : null;
}

/** A value still to look at; its path is kept as a link to its parent (no copying per level). */
interface Pending {
  value: unknown;
  parent: Pending | null;
  segment: string | number;
}

/**
 * The first unstorable string in a parsed JSON value (keys included), depth first. Iterative, so
 * a deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(root: unknown): UnstorableText | null {
  const pending: Pending[] = [{ value: root, parent: null, segment: '' }];
  while (pending.length > 0) {
    const entry = pending.pop()!;
    const { value } = entry;
    if (typeof value === 'string') {
      const problem = problemIn(value);
      if (problem) return { path: pathOf(entry), problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], parent: entry, segment: i });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (const key of keys) {
        const problem = problemIn(key);
        if (problem) return { path: pathOf(entry), key, problem };
      }
      for (let i = keys.length - 1; i >= 0; i--) pending.push({ value: (value as Record<string, unknown>)[keys[i]!], parent: entry, segment: keys[i]! });
    }
  }
  return null;
}

function pathOf(entry: Pending): Array<string | number> {
  const path: Array<string | number> = [];
  for (let at: Pending | null = entry; at?.parent; at = at.parent) path.push(at.segment);
  return path.reverse();
}

/** For one string outside a JSON body (a channel, a token claim): "<subject> contains …", or null when it can be stored. */
export function unstorableTextMessage(text: string, subject: string): string | null {
  const problem = problemIn(text);
  return problem ? `${subject} contains ${WHAT[problem]}` : null;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$-]*$/;

/** `['steps', 0, 'name']` → `steps[0].name`; odd keys are quoted with JSON escapes: `metadata["a\u0000"]`. */
function fieldPathOf(path: ReadonlyArray<string | number>): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else if (PLAIN_NAME.test(segment)) name += name ? `.${segment}` : segment;
    else name += `[${JSON.stringify(segment)}]`;
  }
  return name;
}

const WHAT: Record<UnstorableText['problem'], string> = {
  nul: 'a NUL character (\\u0000), which is not allowed in any text; remove it',
  'lone-surrogate': 'an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape without its partner), which is not valid Unicode text; send whole characters',
};

/**
 * A message naming the field: `body field "metadata.note" contains a NUL character …`.
 * `where` is how the caller names that part ("body field", "query parameter").
 */
export function describeUnstorableText(found: UnstorableText, where: string, root: string): string {
  const field = shortened(fieldPathOf(found.path));
  const subject = field ? `${where} "${field}"` : root;
  if (found.key !== undefined) return `${subject} has a key ${shortened(JSON.stringify(found.key))} that contains ${WHAT[found.problem]}`;
  return `${subject} contains ${WHAT[found.problem]}`;
}

// A path through a deeply nested body (or a huge key) would make a message as large as the body.
const MAX_SHOWN = 200;

function shortened(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 60)}…${text.slice(-59)}` : text;
}
