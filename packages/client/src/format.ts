import type { Eta } from '@headway/protocol';

/** Human forms of durations, rates and ETAs, shared by the CLI and the dashboard. */

export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** `1.2k rows/s`; slow rates switch to per minute so they don't read as 0. */
export function formatRate(ratePerSec: number | null, unit: string | null): string {
  if (ratePerSec === null || !Number.isFinite(ratePerSec)) return '';
  const label = unit ?? 'units';
  if (ratePerSec > 0 && ratePerSec < 0.1) return `${compact(ratePerSec * 60)} ${label}/min`;
  return `${compact(ratePerSec)} ${label}/s`;
}

/**
 * Time left counted down from when the server estimated it, with its interval:
 * `~3m 20s (2m 50s–4m 10s)`.
 */
export function formatEta(eta: Eta | null, now: number): string {
  if (!eta) return '';
  const elapsed = Math.max(0, now - eta.at);
  const remaining = Math.max(0, eta.remainingMs - elapsed);
  const low = Math.max(0, eta.low - elapsed);
  const high = Math.max(remaining, eta.high - elapsed);
  if (Math.round(high / 1000) === Math.round(low / 1000)) return `~${formatDurationMs(remaining)}`;
  return `~${formatDurationMs(remaining)} (${formatDurationMs(low)}–${formatDurationMs(high)})`;
}

function compact(value: number): string {
  if (value >= 1e9) return `${trim(value / 1e9)}G`;
  if (value >= 1e6) return `${trim(value / 1e6)}M`;
  if (value >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/\.?0+$/, '');
}
