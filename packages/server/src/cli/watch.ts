import { createClient, formatDurationMs, formatEta, formatRate, type ConnectionState, type Job } from '@headway/client';

export interface WatchOptions {
  url: string;
  token: string;
  jobId: string;
  out?: NodeJS.WriteStream;
  /** The clock, for ETA countdowns; tests inject one. */
  now?: () => number;
}

const BAR_WIDTH = 24;
const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * `headway watch <jobId>`: follows one job live and draws a progress bar with step, percent,
 * rate and ETA. On a terminal the line is redrawn in place (and the ETA counts down); in a
 * pipe or log, one line per meaningful change. Exit code: 0 completed, 1 failed or cancelled,
 * 2 when the job cannot be watched (not found, bad token).
 */
export async function runWatch(opts: WatchOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const now = opts.now ?? Date.now;
  const tty = out.isTTY === true;
  const client = createClient({ url: opts.url, token: opts.token });
  let job: Job | undefined;
  let connection: ConnectionState = client.connection.get();
  let lastKey = '';

  const draw = () => {
    if (!job) return;
    const line = renderLine(job, connection, now());
    if (tty) {
      const width = out.columns > 0 ? out.columns - 1 : line.length;
      out.write(`\r\x1b[2K${line.slice(0, width)}`);
      return;
    }
    const key = changeKey(job, connection);
    if (key !== lastKey) out.write(`${line}\n`);
    lastKey = key;
  };

  const code = await new Promise<number>((resolve) => {
    const timer = tty ? setInterval(draw, 1_000) : null;
    const stopConnection = client.connection.subscribe((state) => {
      connection = state;
      draw();
    });
    const finish = (exitCode: number, message: string) => {
      if (timer) clearInterval(timer);
      stopConnection();
      stopWatch();
      client.close();
      out.write(`${tty ? '\n' : ''}${message}\n`);
      resolve(exitCode);
    };
    const stopWatch = client.watch(
      opts.jobId,
      (update) => {
        job = update.job;
        draw();
        if (job && FINAL.has(job.status)) finish(job.status === 'completed' ? 0 : 1, summary(job, now()));
      },
      { onError: (error) => finish(2, `cannot watch job ${opts.jobId}: ${error.message}`) },
    );
  });
  return code;
}

function renderLine(job: Job, connection: ConnectionState, now: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, job.percent)) / 100) * BAR_WIDTH);
  const parts = [`[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${job.percent.toFixed(1).padStart(5)}%`];
  const step = stepLabel(job);
  if (step) parts.push(step);
  if (job.total !== null) parts.push(`${job.done}/${job.total}${job.unit ? ` ${job.unit}` : ''}`);
  const rate = formatRate(job.metrics.ratePerSec, job.unit);
  if (rate && job.status === 'running') parts.push(rate);
  const eta = job.status === 'running' ? formatEta(job.eta, now) : '';
  if (eta) parts.push(`ETA ${eta}`);
  parts.push(job.status);
  if (job.message) parts.push(job.message);
  if (connection.status === 'reconnecting' || connection.status === 'connecting') parts.push(`(${connection.status}…)`);
  return parts.join(' · ');
}

function stepLabel(job: Job): string | null {
  if (!job.currentStep) return null;
  const index = job.steps.findIndex((step) => step.name === job.currentStep);
  return index >= 0 ? `step ${index + 1}/${job.steps.length} ${job.currentStep}` : job.currentStep;
}

/** Without a terminal, a line is worth printing when something a reader cares about moved. */
function changeKey(job: Job, connection: ConnectionState): string {
  return [job.status, job.currentStep, Math.floor(job.percent), job.message, connection.status].join('|');
}

function summary(job: Job, now: number): string {
  const tookMs = (job.finishedAt ?? now) - (job.startedAt ?? job.createdAt) - job.pausedMs;
  if (job.status === 'completed') return `job ${job.id} completed in ${formatDurationMs(tookMs)}`;
  if (job.status === 'failed') return `job ${job.id} failed: ${job.error?.message ?? 'no error message'}`;
  return `job ${job.id} was cancelled`;
}
