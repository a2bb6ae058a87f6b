import type { Job } from '@headway/client';

type Eta = NonNullable<Job['eta']>;

interface Scale {
  unit: string;
  ms: number;
}

const SECONDS: Scale = { unit: 's', ms: 1_000 };
const MINUTES: Scale = { unit: 'min', ms: 60_000 };
const HOURS: Scale = { unit: 'h', ms: 3_600_000 };

/** The estimate counted down from when the server made it, clamped at zero. */
export function etaRemaining(eta: Eta, now: number): { remainingMs: number; lowMs: number; highMs: number } {
  const elapsed = Math.max(0, now - eta.at);
  const remainingMs = Math.max(0, eta.remainingMs - elapsed);
  return { remainingMs, lowMs: Math.min(remainingMs, Math.max(0, eta.low - elapsed)), highMs: Math.max(remainingMs, eta.high - elapsed) };
}

/**
 * "about 4 min, 3–6": the estimate and its interval in one unit, chosen by the estimate, so
 * the range reads at a glance. A tight interval drops the range.
 */
export function formatEtaRange(eta: Eta | null, now: number): string {
  if (!eta) return '—';
  const { remainingMs, lowMs, highMs } = etaRemaining(eta, now);
  if (remainingMs < 1_000) return 'almost done';
  const scale = remainingMs < 90_000 ? SECONDS : remainingMs < 90 * 60_000 ? MINUTES : HOURS;
  const value = (ms: number) => round(ms / scale.ms, scale);
  const middle = value(remainingMs);
  const low = value(lowMs);
  const high = value(highMs);
  const head = `about ${middle} ${scale.unit}`;
  return low === high ? head : `${head}, ${low}–${high}`;
}

/** Seconds to 5 s steps above 20 s; hours keep one decimal below 10. */
function round(amount: number, scale: Scale): number {
  if (scale === SECONDS) return amount > 20 ? Math.round(amount / 5) * 5 : Math.round(amount);
  if (scale === HOURS && amount < 10) return Math.round(amount * 10) / 10;
  return Math.round(amount);
}

/** Words for screen readers: "about 4 minutes, between 3 and 6". */
export function describeEta(eta: Eta | null, now: number): string {
  const text = formatEtaRange(eta, now);
  return text.replace(/ s\b/, ' seconds').replace(/ min\b/, ' minutes').replace(/ h\b/, ' hours').replace(/, (\S+)–(\S+)/, ', between $1 and $2');
}
