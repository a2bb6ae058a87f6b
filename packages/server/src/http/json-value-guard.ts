/**
 * Parsed JSON that would break or be misread further on, refused at the edge with where it is:
 * nesting deeper than MAX_JSON_DEPTH (JSON.parse reads thousands of levels, but JSON.stringify in
 * the stores overflowed the stack on them), and numbers past the double range (1e400 parses as
 * Infinity, which JSON.stringify writes as null).
 */

/**
 * Levels of objects and arrays, the outermost counting as one. Real metadata and results nest a
 * handful of levels; 64 leaves them ample room and stays far below the thousands of levels where
 * recursive code (JSON.stringify, jsonb, the clients' own parsers and renderers) runs out of stack.
 */
export const MAX_JSON_DEPTH = 64;

export interface JsonValueBreach {
  problem: 'too-deep' | 'number-out-of-range';
  /** Object keys and array indexes from the root to the offending value. */
  path: Array<string | number>;
}

/** An object or array still to look at; its path is kept as a link to its parent (no copying per level). */
interface Pending {
  value: object;
  depth: number;
  parent: Pending | null;
  segment: string | number;
}

/** The first breach in a parsed JSON value, or null. Iterative, so the check itself cannot overflow. */
export function findJsonValueBreach(root: unknown): JsonValueBreach | null {
  if (typeof root === 'number') return Number.isFinite(root) ? null : { problem: 'number-out-of-range', path: [] };
  if (root === null || typeof root !== 'object') return null;
  const pending: Pending[] = [{ value: root, depth: 1, parent: null, segment: '' }];
  while (pending.length > 0) {
    const entry = pending.pop()!;
    if (Array.isArray(entry.value)) {
      for (let i = 0; i < entry.value.length; i++) {
        const breach = visit(entry.value[i], i, entry, pending);
        if (breach) return breach;
      }
    } else {
      for (const key of Object.keys(entry.value)) {
        const breach = visit((entry.value as Record<string, unknown>)[key], key, entry, pending);
        if (breach) return breach;
      }
    }
  }
  return null;
}

function visit(value: unknown, segment: string | number, parent: Pending, pending: Pending[]): JsonValueBreach | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { problem: 'number-out-of-range', path: [...pathOf(parent), segment] };
  if (value === null || typeof value !== 'object') return null;
  if (parent.depth === MAX_JSON_DEPTH) return { problem: 'too-deep', path: [...pathOf(parent), segment] };
  pending.push({ value, depth: parent.depth + 1, parent, segment });
  return null;
}

function pathOf(entry: Pending): Array<string | number> {
  const path: Array<string | number> = [];
  for (let at: Pending | null = entry; at?.parent; at = at.parent) path.push(at.segment);
  return path.reverse();
}

/**
 * `the body nests … (under body field "metadata")` or `body field "metadata.size" is a number beyond …`.
 * `where` and `root` name that part ("body field", "the body"); a deep path is named by its first step.
 */
export function describeJsonValueBreach(breach: JsonValueBreach, where: string, root: string): string {
  if (breach.problem === 'too-deep') {
    return `${root} nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (under ${where} "${fieldPathOf(breach.path.slice(0, 1))}"); flatten it, or send the deep part as a JSON string`;
  }
  const subject = breach.path.length > 0 ? `${where} "${fieldPathOf(breach.path)}"` : root;
  return `${subject} is a number beyond ±1.8e308, the largest a double holds; send a smaller number, or a string`;
}

// A path of 64 long keys would make a message as large as the body.
const MAX_SHOWN = 200;

/** `['steps', 0, 'name']` → `steps[0].name`. */
function fieldPathOf(path: ReadonlyArray<string | number>): string {
  const name = path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '');
  return name.length > MAX_SHOWN ? `${name.slice(0, MAX_SHOWN - 60)}…${name.slice(-59)}` : name;
}
