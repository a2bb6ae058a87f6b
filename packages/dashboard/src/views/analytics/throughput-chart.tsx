import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import { axisStyle, UPlotChart } from '../../components/uplot-chart';
import { useLoad } from '../../live/use-load';
import { useSession } from '../../session/session';

/** Completed and failed jobs per bucket (left axis) and units processed (right axis). */
export function ThroughputChart(props: { type: string; from: number; to: number; bucket: string }): ReactNode {
  const { api } = useSession();
  const answer = useLoad(`${props.type}:${props.from}:${props.to}:${props.bucket}`, () =>
    api.throughput({ type: props.type, from: props.from, to: props.to, bucket: props.bucket }),
  );
  const data = useMemo<uPlot.AlignedData>(() => {
    const buckets = answer.data?.buckets ?? [];
    return [buckets.map((b) => b.start / 1000), buckets.map((b) => b.completed), buckets.map((b) => b.failed), buckets.map((b) => b.units)];
  }, [answer.data]);
  if (answer.error) return <p role="alert">Throughput could not be loaded: {answer.error.message}</p>;
  if (!answer.data) return <p className="muted">Loading…</p>;
  const unit = answer.data.unit ?? 'units';
  const totals = answer.data.buckets.reduce((sum, b) => ({ completed: sum.completed + b.completed, failed: sum.failed + b.failed }), { completed: 0, failed: 0 });
  return (
    <UPlotChart
      summary={`Throughput of ${props.type}: ${totals.completed} completed and ${totals.failed} failed in the range, per ${props.bucket}.`}
      height={240}
      data={data}
      optionsKey={`${unit}:${props.bucket}`}
      makeOptions={(theme) => ({
        scales: { x: { time: true }, jobs: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] }, units: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] } },
        axes: [axisStyle(theme), { ...axisStyle(theme), scale: 'jobs' }, { ...axisStyle(theme), scale: 'units', side: 1, grid: { show: false } }],
        series: [
          {},
          { label: 'Completed', scale: 'jobs', stroke: theme.series[0], fill: `${theme.series[0]}33`, width: 2 },
          { label: 'Failed', scale: 'jobs', stroke: theme.series[3], width: 2 },
          { label: `${unit} done`, scale: 'units', stroke: theme.series[1], width: 1.5, dash: [5, 3] },
        ],
      })}
    />
  );
}
