import { useMemo, type ReactNode } from 'react';
import type { Job } from '@headway/client';
import { useWatch } from '@headway/react';
import { ProgressBar } from '../../components/progress-bar';
import { StatusBadge } from '../../components/status-badge';
import { elapsedMs, formatDateTime, formatDuration } from '../../format/duration';
import { formatEtaRange } from '../../format/eta';
import { errorCount, formatJobAmount, formatPercent, formatRate } from '../../format/rate';
import { samplesFromEvents } from '../../live/job-samples';
import { useChildren } from '../../live/use-children';
import { useJobFeed } from '../../live/use-job-feed';
import { useNow } from '../../live/use-now';
import { hrefOf } from '../../router/route';
import { useSession } from '../../session/session';
import { AuditTrail } from './audit-trail';
import { ChildrenTable } from './children-table';
import { ControlButtons } from './control-buttons';
import { ErrorPanel } from './error-panel';
import { EtaChart } from './eta-chart';
import { JobMute } from './job-mute';
import { JsonBlock } from './json-block';
import { ProgressChart } from './progress-chart';
import { StepTimeline } from './step-timeline';

/** Everything about one job, live: header and controls, steps, charts, batch items, error, checkpoint, audit trail. */
export function JobPage(props: { id: string }): ReactNode {
  const { client, jobsTarget } = useSession();
  const watch = useWatch(client, props.id);
  const job = watch.update?.job;
  const feed = useJobFeed(client, props.id);
  const user = typeof jobsTarget === 'string' ? undefined : jobsTarget.user;
  const children = useChildren(client, job?.counts ? job : undefined, user);
  const active = job?.status === 'running' || job?.status === 'paused' || job?.status === 'queued';
  const now = useNow(1_000, active);
  const samples = useMemo(() => (job ? [...samplesFromEvents(feed.events, job).filter((s) => s.at < (feed.samples[0]?.at ?? Infinity)), ...feed.samples] : []), [feed, job?.id]);

  if (watch.error && !job) {
    return (
      <section className="page">
        <h1>Job not available</h1>
        <p role="alert">{watch.error.message}</p>
        <a href={hrefOf([])}>Back to live jobs</a>
      </section>
    );
  }
  if (!job) return <p className="muted">Loading job…</p>;

  const title = job.title ?? job.type;
  return (
    <section className="page job-page" aria-labelledby="job-heading">
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={hrefOf([])}>Live jobs</a>
        {job.parentId && (
          <>
            {' / '}
            <a href={hrefOf(['jobs', job.parentId])}>Batch</a>
          </>
        )}
      </nav>
      <div className="job-head card">
        <div className="job-head-title">
          <h1 id="job-heading">{title}</h1>
          <StatusBadge job={job} />
        </div>
        <p className="muted">
          {job.type} · {job.owner ?? 'no owner'} · created {formatDateTime(job.createdAt)}
          {job.tags.length > 0 && ` · ${job.tags.map((tag) => `#${tag}`).join(' ')}`}
        </p>
        <ProgressBar percent={job.percent} status={job.status} label={`Progress of ${title}`} />
        <dl className="facts">
          <Fact
            label="Progress"
            value={`${formatPercent(job.percent)} · ${formatJobAmount(job, true)}`}
            testId="detail-percent"
          />
          <Fact label="Step" value={job.currentStep ?? '—'} />
          <Fact label="Rate" value={job.status === 'running' ? formatRate(job.metrics.ratePerSec, job.unit) : '—'} />
          <Fact label="ETA" value={job.status === 'running' ? formatEtaRange(job.eta, now) : '—'} />
          <Fact label="Elapsed" value={formatDuration(elapsedMs(job, now))} />
          <Fact label="Errors" value={String(errorCount(job))} />
          <Fact label="Attempt" value={`${job.attempt} of ${job.maxAttempts}`} />
          {job.counts && <Fact label="Items" value={itemsSummary(job.counts)} />}
        </dl>
        {job.message && <p className="job-message">{job.message}</p>}
        <ControlButtons client={client} job={job} />
        <JobMute job={job} />
      </div>

      <ErrorPanel job={job} events={feed.events} />

      <div className="grid-2">
        <section className="card" aria-labelledby="steps-heading">
          <h2 id="steps-heading">Steps</h2>
          <StepTimeline job={job} now={now} />
        </section>
        <section className="card" aria-labelledby="chart-heading">
          <h2 id="chart-heading">Progress and throughput</h2>
          <ProgressChart job={job} samples={samples} />
          <h3>ETA against reality</h3>
          <EtaChart job={job} samples={feed.samples} />
        </section>
      </div>

      {job.counts && (
        <section className="card" aria-labelledby="items-heading">
          <h2 id="items-heading">Batch items</h2>
          {children.error && <p role="alert">The items could not be loaded: {children.error.message}</p>}
          <ChildrenTable items={children.items} now={now} loading={children.loading} />
        </section>
      )}

      <div className="grid-2">
        <section className="card" aria-labelledby="checkpoint-heading">
          <h2 id="checkpoint-heading">Checkpoint</h2>
          <JsonBlock value={job.checkpoint} label="Checkpoint" />
          {job.result !== null && job.result !== undefined && (
            <>
              <h3>Result</h3>
              <JsonBlock value={job.result} label="Result" />
            </>
          )}
        </section>
        <section className="card" aria-labelledby="audit-heading">
          <h2 id="audit-heading">Audit trail</h2>
          <AuditTrail events={feed.events} error={feed.eventsError} />
        </section>
      </div>
    </section>
  );
}

function Fact(props: { label: string; value: string; testId?: string }): ReactNode {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}

function itemsSummary(counts: NonNullable<Job['counts']>): string {
  const parts: Array<[number, string]> = [
    [counts.completed, 'done'],
    [counts.failed, 'failed'],
    [counts.running, 'running'],
    [counts.paused, 'paused'],
    [counts.pending, 'pending'],
    [counts.cancelled, 'cancelled'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n.toLocaleString()} ${label}`)
    .join(' · ');
}
