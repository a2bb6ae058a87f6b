/** Short human durations for tables: `45 s`, `3 min 20 s`, `2 h 05 min`, `3 d 4 h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Sub-second precision for step timings and percentiles: `850 ms`, `1.4 s`, then as formatDuration. */
export function formatPreciseDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

/** Work time of a job so far: paused time does not count. */
export function elapsedMs(job: { startedAt: number | null; finishedAt: number | null; pausedMs: number }, now: number): number | null {
  if (job.startedAt === null) return null;
  return Math.max(0, (job.finishedAt ?? now) - job.startedAt - job.pausedMs);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(at: number | null): string {
  return at === null ? '—' : dateTime.format(at);
}

export function formatTime(at: number): string {
  return time.format(at);
}

/** Time of day for today, date and time otherwise: short enough for a list column. */
export function formatWhen(at: number, now: number = Date.now()): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? time.format(at) : dateTime.format(at);
}
