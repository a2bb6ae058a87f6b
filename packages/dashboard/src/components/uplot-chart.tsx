import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useMediaQuery } from '../live/use-media-query';

export interface ChartTheme {
  text: string;
  grid: string;
  series: string[];
}

/** Canvas colours come from the CSS custom properties, so charts follow light and dark themes. */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return { text: read('--text-muted'), grid: read('--border'), series: [1, 2, 3, 4].map((n) => read(`--chart-${n}`)) };
}

/**
 * A uPlot chart sized to its container. `makeOptions` is called when the theme or `optionsKey`
 * changes; new `data` only calls setData, which is cheap enough for every frame.
 */
export function UPlotChart(props: {
  makeOptions: (theme: ChartTheme) => Omit<uPlot.Options, 'width' | 'height'>;
  optionsKey: string;
  data: uPlot.AlignedData;
  height: number;
  /** What the chart shows, for screen readers (a canvas says nothing). */
  summary: string;
}): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const latestData = useRef(props.data);
  latestData.current = props.data;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options = { ...props.makeOptions(chartTheme()), width: Math.max(200, element.clientWidth), height: props.height };
    const made = new uPlot(options, latestData.current, element);
    chart.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(200, element.clientWidth), height: props.height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
  }, [dark, props.optionsKey, props.height]);

  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);

  return (
    <figure className="chart" role="img" aria-label={props.summary}>
      <div ref={box} className="chart-canvas" />
    </figure>
  );
}

export const axisStyle = (theme: ChartTheme): Partial<uPlot.Axis> => ({
  stroke: theme.text,
  grid: { stroke: theme.grid, width: 1 },
  ticks: { stroke: theme.grid, width: 1 },
});
