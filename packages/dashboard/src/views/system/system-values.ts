import { formatDuration } from '../../format/duration';
import { number } from '../../format/rate';

/**
 * The system answer is read generically (its fields are the server's to extend): nested
 * objects become dotted paths, and units come from the conventional name suffixes.
 */
export function flattenSystem(value: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) out.push(...flattenSystem(inner as Record<string, unknown>, path));
    else out.push([path, inner]);
  }
  return out;
}

export function describeSystemValue(path: string, value: unknown): string {
  if (typeof value !== 'number') return Array.isArray(value) ? value.join(', ') : String(value ?? '—');
  const name = path.split('.').pop() ?? path;
  if (/Bytes$/i.test(name) || /^(rss|heapUsed|heapTotal|external|arrayBuffers)$/.test(name)) return bytes(value);
  if (/uptime/i.test(name) && /Ms$/.test(name)) return formatDuration(value);
  if (/Ms$/.test(name)) return `${value < 10 ? value.toFixed(2) : number(value)} ms`;
  if (/PerSec$/.test(name)) return `${number(value)}/s`;
  if (/At$/.test(name) && value > 1e12) return new Date(value).toLocaleString();
  return number(value);
}

function bytes(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} GB`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(0)} KB`;
  return `${value} B`;
}
