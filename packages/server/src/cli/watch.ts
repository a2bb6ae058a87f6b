import { createClient, formatDurationMs, formatEta, formatRate, type ConnectionState, type Job } from '@headway/client';

export interface WatchOptions {
  url: string;
  token: string;
  jobId: string;
  out?: NodeJS.WriteStream;
  /** The clock, for ETA countdowns; tests inject one. */
  now?: () => number;
  /** A watch that has not reached the server within this time gives up; tests shorten it. */
  giveUpAfterMs?: number;
}

const BAR_WIDTH = 24;
const FINAL = new Set(['completed', 'failed', 'cancelled']);
/** Long enough for a server that is starting up or restarting, short enough for a wrong --url to show. */
const GIVE_UP_AFTER_MS = 30_000;

/**
 * `headway watch <jobId>`: follows one job live and draws a progress bar with step, percent,
 * rate and ETA. On a terminal the line is redrawn in place (and the ETA counts down); in a
 * pipe or log, one line per meaningful change. Until the job arrives it shows that it is
 * connecting, and why the last attempt failed. Exit code: 0 completed, 1 failed or cancelled,
 * 2 when the job cannot be watched (not found, bad token), 3 when the server was never reached
 * within `giveUpAfterMs`. Once connected, a lost server is retried for good.
 */
export async function runWatch(opts: WatchOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const now = opts.now ?? Date.now;
  const tty = out.isTTY === true;
  const client = createClient({ url: opts.url, token: opts.token });
  let job: Job | undefined;
  let connection: ConnectionState = client.connection.get();
  let lastKey = '';
  let drawnInPlace = false;

  const draw = () => {
    const line = job ? renderLine(job, connection, now()) : renderConnecting(opts.url, connection);
    if (line === null) return;
    if (tty) {
      const width = out.columns > 0 ? out.columns - 1 : line.length;
      out.write(`\r\x1b[2K${line.slice(0, width)}`);
      drawnInPlace = true;
      return;
    }
    const key = job ? changeKey(job, connection) : connectionKey(connection);
    if (key !== lastKey) out.write(`${line}\n`);
    lastKey = key;
  };

  const code = await new Promise<number>((resolve) => {
    const timer = tty ? setInterval(draw, 1_000) : null;
    const giveUpAfterMs = opts.giveUpAfterMs ?? GIVE_UP_AFTER_MS;
    // Cleared once the server is reached: from then on a lost connection is retried for good.
    const giveUp = setTimeout(() => finish(3, unreachable(opts.url, giveUpAfterMs, connection)), giveUpAfterMs);
    let finished = false;
    const finish = (exitCode: number, message: string) => {
      if (finished) return;
      finished = true;
      if (timer) clearInterval(timer);
      clearTimeout(giveUp);
      stopConnection();
      stopWatch();
      client.close();
      out.write(`${drawnInPlace ? '\n' : ''}${message}\n`);
      resolve(exitCode);
    };
    // A job that finished while the watch was away arrives as replayed events, which carry no
    // progress (the snapshot with it comes after them): the last line and the summary are drawn
    // from the finished job as read, not from "181/600 rows · completed".
    let settling = false;
    const settle = async (seen: Job) => {
      settling = true;
      const final = await client.getJob(opts.jobId).catch(() => seen);
      job = FINAL.has(final.status) ? final : seen;
      draw();
      finish(job.status === 'completed' ? 0 : 1, summary(job, now()));
    };
    const stopConnection = client.connection.subscribe((state) => {
      connection = state;
      if (state.status === 'open') clearTimeout(giveUp);
      draw();
    });
    const stopWatch = client.watch(
      opts.jobId,
      (update) => {
        if (settling) return;
        job = update.job;
        if (job && FINAL.has(job.status)) return void settle(job);
        draw();
      },
      { onError: (error) => finish(2, `cannot watch job ${opts.jobId}: ${error.message}`) },
    );
  });
  return code;
}

/** Before the job arrives: the server being tried, and why the last attempt failed. */
function renderConnecting(url: string, connection: ConnectionState): string | null {
  if (connection.status === 'connecting') return `connecting to ${url}…`;
  if (connection.status === 'reconnecting') return `reconnecting to ${url}…${reasonOf(connection)}`;
  return null;
}

function unreachable(url: string, afterMs: number, connection: ConnectionState): string {
  const attempts = `${connection.attempt} attempt${connection.attempt === 1 ? '' : 's'} in ${formatDurationMs(afterMs)}`;
  const last = connection.lastError ? `; last error: ${connection.lastError.message}` : '';
  return `cannot reach the server at ${url} (${attempts}${last}); check --url and that the server is running`;
}

function reasonOf(connection: ConnectionState): string {
  return connection.lastError ? ` (${connection.lastError.message})` : '';
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
  if (connection.status === 'connecting' || connection.status === 'reconnecting') parts.push(`${connection.status}…${reasonOf(connection)}`);
  return parts.join(' · ');
}

function stepLabel(job: Job): string | null {
  if (!job.currentStep) return null;
  const index = job.steps.findIndex((step) => step.name === job.currentStep);
  return index >= 0 ? `step ${index + 1}/${job.steps.length} ${job.currentStep}` : job.currentStep;
}

/** Without a terminal, a line is worth printing when something a reader cares about moved. */
function changeKey(job: Job, connection: ConnectionState): string {
  return [job.status, job.currentStep, Math.floor(job.percent), job.message, connectionKey(connection)].join('|');
}

/** A new attempt failing the same way is not news; a new reason is. */
function connectionKey(connection: ConnectionState): string {
  return `${connection.status}|${connection.lastError?.message ?? ''}`;
}

function summary(job: Job, now: number): string {
  const tookMs = (job.finishedAt ?? now) - (job.startedAt ?? job.createdAt) - job.pausedMs;
  if (job.status === 'completed') return `job ${job.id} completed in ${formatDurationMs(tookMs)}`;
  if (job.status === 'failed') return `job ${job.id} failed: ${job.error?.message ?? 'no error message'}`;
  return `job ${job.id} was cancelled`;
}
