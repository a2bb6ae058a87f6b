import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import type { Job } from '@headway/client';
import { axisStyle, UPlotChart } from '../../components/uplot-chart';
import { formatDuration } from '../../format/duration';
import type { JobSample } from '../../live/job-samples';

/**
 * Each ETA as "total run time it predicted" (minutes from the start) over the time it was
 * made, with its interval, against what really happened once the job finished.
 */
export function EtaChart(props: { job: Job; samples: JobSample[] }): ReactNode {
  const { job, samples } = props;
  const start = job.startedAt;
  const actualMin = start !== null && job.finishedAt !== null ? (job.finishedAt - start) / 60_000 : null;
  const withEta = useMemo(() => samples.filter((s) => s.finishAt !== null), [samples]);
  const data = useMemo<uPlot.AlignedData>(() => {
    const minutes = (at: number | null) => (at === null || start === null ? null : (at - start) / 60_000);
    return [
      withEta.map((s) => s.at / 1000),
      withEta.map((s) => minutes(s.finishAt)),
      withEta.map((s) => minutes(s.finishLow)),
      withEta.map((s) => minutes(s.finishHigh)),
      withEta.map(() => actualMin),
    ];
  }, [withEta, start, actualMin]);
  if (start === null || withEta.length < 2) return <p className="muted">ETA history appears while the job runs with this page open.</p>;
  const lastPrediction = withEta[withEta.length - 1]!.finishAt! - start;
  const summary =
    actualMin === null
      ? `ETA history: the latest estimate is a total run time of ${formatDuration(lastPrediction)}.`
      : `ETA history: the job took ${formatDuration(actualMin * 60_000)}; the last estimate was ${formatDuration(lastPrediction)}.`;
  const minutesValue = (_u: uPlot, v: number | null) => (v === null ? '—' : formatDuration(v * 60_000));
  return (
    <UPlotChart
      summary={summary}
      height={200}
      data={data}
      optionsKey={String(actualMin)}
      makeOptions={(theme) => ({
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [axisStyle(theme), { ...axisStyle(theme), size: 70, values: (_u, ticks) => ticks.map((t) => formatDuration(t * 60_000)) }],
        series: [
          {},
          { label: 'Predicted total', stroke: theme.series[0], width: 2, value: minutesValue },
          { label: 'Low', stroke: theme.series[0], width: 1, dash: [4, 4], value: minutesValue },
          { label: 'High', stroke: theme.series[0], width: 1, dash: [4, 4], value: minutesValue },
          { label: 'Actual', stroke: theme.series[2], width: 2, value: minutesValue, show: actualMin !== null },
        ],
        bands: [{ series: [3, 2], fill: `${theme.series[0]}1f` }],
      })}
    />
  );
}
