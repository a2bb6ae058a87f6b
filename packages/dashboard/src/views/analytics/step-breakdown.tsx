import type { ReactNode } from 'react';
import { formatPreciseDuration } from '../../format/duration';
import { useLoad } from '../../live/use-load';
import { useSession } from '../../session/session';

/** Each step's share of the time, from step timestamps on the server; the bottleneck is marked. */
export function StepBreakdown(props: { type: string; from: number; to: number }): ReactNode {
  const { api } = useSession();
  const answer = useLoad(`${props.type}:${props.from}:${props.to}`, () => api.stepAnalytics({ type: props.type, from: props.from, to: props.to }));
  if (answer.error) return <p role="alert">Step durations could not be loaded: {answer.error.message}</p>;
  if (!answer.data) return <p className="muted">Loading…</p>;
  const { steps, bottleneck } = answer.data;
  if (steps.length === 0) return <p className="muted">No finished job of this type reported steps in the range.</p>;
  return (
    <>
      {bottleneck && (
        <p data-testid="bottleneck">
          Bottleneck: <strong>{bottleneck}</strong> ({((steps.find((s) => s.name === bottleneck)?.share ?? 0) * 100).toFixed(0)}% of step time)
        </p>
      )}
      <table className="simple-table steps-table">
        <caption className="visually-hidden">Step durations</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Share</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">Runs</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.name} className={step.name === bottleneck ? 'bottleneck' : undefined}>
              <th scope="row">{step.name}</th>
              <td className="share-cell">
                <span className="share-bar" aria-hidden="true">
                  <span style={{ transform: `scaleX(${step.share})` }} />
                </span>
                {(step.share * 100).toFixed(1)}%
              </td>
              <td>{formatPreciseDuration(step.p50Ms)}</td>
              <td>{formatPreciseDuration(step.p95Ms)}</td>
              <td>{step.runs.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
