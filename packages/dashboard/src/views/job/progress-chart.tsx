import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import type { Job } from '@headway/client';
import { axisStyle, UPlotChart } from '../../components/uplot-chart';
import type { JobSample } from '../../live/job-samples';
import { formatRate } from '../../format/rate';

/** Percent done (left axis) and throughput (right axis) over time. */
export function ProgressChart(props: { job: Job; samples: JobSample[] }): ReactNode {
  const { job, samples } = props;
  const data = useMemo<uPlot.AlignedData>(
    () => [samples.map((s) => s.at / 1000), samples.map((s) => s.percent), samples.map((s) => s.ratePerSec)],
    [samples],
  );
  const unit = job.unit ?? 'units';
  if (samples.length < 2) return <p className="muted">Progress over time appears once the job reports.</p>;
  const last = samples[samples.length - 1]!;
  const summary = `Progress over time: ${last.percent.toFixed(1)}% at the latest point${last.ratePerSec !== null ? `, at ${formatRate(last.ratePerSec, job.unit)}` : ''}.`;
  return (
    <UPlotChart
      summary={summary}
      height={220}
      data={data}
      optionsKey={unit}
      makeOptions={(theme) => ({
        scales: { x: { time: true }, percent: { range: [0, 100] }, rate: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          axisStyle(theme),
          { ...axisStyle(theme), scale: 'percent', values: (_u, ticks) => ticks.map((t) => `${t}%`) },
          { ...axisStyle(theme), scale: 'rate', side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => `${t}`) },
        ],
        series: [
          {},
          { label: 'Progress', scale: 'percent', stroke: theme.series[0], width: 2, fill: `${theme.series[0]}22`, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}%`) },
          { label: `Rate (${unit}/s)`, scale: 'rate', stroke: theme.series[1], width: 1.5, value: (_u, v) => (v === null ? '—' : formatRate(v, job.unit)) },
        ],
        legend: { live: true },
      })}
    />
  );
}
