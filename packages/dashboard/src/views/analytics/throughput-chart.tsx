import { HeadwayError } from '@headway/client';
import type { ThroughputAnswer } from '@headway/protocol';
import { useMemo, type ReactNode } from 'react';
import uPlot from 'uplot';
import type { DashboardApi } from '../../api/dashboard-api';
import { axisStyle, UPlotChart } from '../../components/uplot-chart';
import { useLoad } from '../../live/use-load';
import { useSession } from '../../session/session';

/**
 * Completed and failed jobs per bucket (left axis) and units processed (right axis). Buckets are
 * the browser's local days and hours: the server counts them in its zone, and the axis is labelled
 * in the zone the answer says it used (UTC when the server does not know the browser's).
 */
export function ThroughputChart(props: { type: string; from: number; to: number; bucket: string }): ReactNode {
  const { api } = useSession();
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const answer = useLoad(`${props.type}:${props.from}:${props.to}:${props.bucket}:${browserZone}`, () =>
    throughputInZone(api, { type: props.type, from: props.from, to: props.to, bucket: props.bucket }, browserZone),
  );
  const data = useMemo<uPlot.AlignedData>(() => {
    const buckets = answer.data?.buckets ?? [];
    return [buckets.map((b) => b.start / 1000), buckets.map((b) => b.completed), buckets.map((b) => b.failed), buckets.map((b) => b.units)];
  }, [answer.data]);
  if (answer.error) return <p role="alert">Throughput could not be loaded: {answer.error.message}</p>;
  if (!answer.data) return <p className="muted">Loading…</p>;
  const unit = answer.data.unit ?? 'units';
  const zone = answer.data.timeZone;
  const totals = answer.data.buckets.reduce((sum, b) => ({ completed: sum.completed + b.completed, failed: sum.failed + b.failed }), { completed: 0, failed: 0 });
  return (
    <>
      {answer.data.inUtcInstead && (
        <p className="muted" data-testid="throughput-zone-note">
          Times are UTC: the server does not know this browser&apos;s time zone ({browserZone}).
        </p>
      )}
      <UPlotChart
        summary={`Throughput of ${props.type}: ${totals.completed} completed and ${totals.failed} failed in the range, per ${props.bucket} of ${zone} time.`}
        height={240}
        data={data}
        optionsKey={`${unit}:${props.bucket}:${zone}`}
        makeOptions={(theme) => ({
          tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), zone),
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
    </>
  );
}

/**
 * The browser's zone may be one the server's ICU does not know (it answers 400 naming `tz`):
 * then the chart is drawn in UTC rather than not at all, and says so.
 */
async function throughputInZone(
  api: DashboardApi,
  query: { type: string; from: number; to: number; bucket: string },
  zone: string,
): Promise<ThroughputAnswer & { inUtcInstead: boolean }> {
  try {
    return { ...(await api.throughput({ ...query, tz: zone })), inUtcInstead: false };
  } catch (error) {
    const zoneRejected = error instanceof HeadwayError && error.code === 'VALIDATION_FAILED' && /\btz\b/.test(error.message);
    if (!zoneRejected) throw error;
    return { ...(await api.throughput(query)), inUtcInstead: true };
  }
}
