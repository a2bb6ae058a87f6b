import type { Job } from '@headway/client';

/** Byte units are scaled (KB/s, MB/s, GB/s); other units keep their name: rows/s, files/min. */
// A Map: a job's unit is free text, and "constructor" must not find Object's members.
const BYTE_UNITS = new Map<string, number>([
  ['bytes', 1],
  ['byte', 1],
  ['b', 1],
  ['kb', 1e3],
  ['mb', 1e6],
  ['gb', 1e9],
]);
const BYTE_SCALE: Array<[number, string]> = [
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB'],
  [1, 'B'],
];

/**
 * A rate in the job's unit: `1,240 rows/s`; slow rates read per minute (`12 files/min`)
 * so they never show as 0; byte rates pick a readable scale (`8.4 MB/s`).
 */
export function formatRate(ratePerSec: number | null | undefined, unit: string | null): string {
  if (ratePerSec === null || ratePerSec === undefined || !Number.isFinite(ratePerSec) || ratePerSec < 0) return '—';
  const byteFactor = unit ? BYTE_UNITS.get(unit.toLowerCase()) : undefined;
  if (byteFactor !== undefined) {
    const bytesPerSec = ratePerSec * byteFactor;
    const [factor, name] = BYTE_SCALE.find(([size]) => bytesPerSec >= size) ?? [1, 'B'];
    return `${number(bytesPerSec / factor)} ${name}/s`;
  }
  const label = unit ?? 'units';
  if (ratePerSec > 0 && ratePerSec < 1) {
    const perMinute = ratePerSec * 60;
    return perMinute < 1 ? `${number(perMinute * 60)} ${label}/h` : `${number(perMinute)} ${label}/min`;
  }
  return `${number(ratePerSec)} ${label}/s`;
}

// Built once: `toLocaleString` with options builds a formatter per call (~50 µs), and every
// visible row formats its amount each frame while 1,000 jobs report.
const byFractionDigits = [0, 1, 2].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));

/** `1,240`, `86.5`, `3.25`: about three significant digits, grouped. */
export function number(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return byFractionDigits[digits]!.format(value);
}

/** `1,200 / 5,000 rows`, `37 files`, or the percent when there is no total. */
export function formatAmount(done: number, total: number | null, unit: string | null): string {
  const label = unit ? ` ${unit}` : '';
  return total === null ? `${number(done)}${label}` : `${number(done)} / ${number(total)}${label}`;
}

export function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** What a job has done: a batch counts its finished children, in its own unit ("items" without one). */
export function formatJobAmount(job: Job, grouped = false): string {
  if (!job.counts) return formatAmount(job.done, job.total, job.unit);
  const finished = job.counts.completed + job.counts.failed + job.counts.cancelled;
  const show = (n: number) => (grouped ? n.toLocaleString() : String(n));
  return `${show(finished)} / ${show(job.counts.total)} ${job.unit ?? 'items'}`;
}

/** The errors a job reported plus, for a batch, its failed children. */
export function errorCount(job: Job): number {
  return job.metrics.errors + (job.counts?.failed ?? 0);
}
