import type { Eta } from '@headway/protocol';
import { etaOf } from './eta-of.js';

/**
 * An estimate made at the last report, carried to `now` across `silenceMs` of work time
 * without progress:
 * - up to `stallAfterMs` (a few usual gaps) the silence is normal: the ETA counts down, as the
 *   work is presumably going on between reports (indicatif's froze until the next report:
 *   indicatif #207);
 * - beyond it the job is stalled. A stall that has lasted e is as likely as not to last e more
 *   (the Copernican rule: no scale is assumed), so the ETA grows by the stall's length, never
 *   by a multiple of the job, the interval widens (3e: a stall three times as long is the
 *   upper quartile) and confidence falls.
 */
export function carryThroughSilence(eta: Eta, silenceMs: number, stallAfterMs: number, now: number): Eta {
  const counted = Math.min(silenceMs, stallAfterMs);
  const stalledMs = Math.max(0, silenceMs - stallAfterMs);
  const down = (x: number) => Math.max(0, x - counted);
  return etaOf(
    Math.round(down(eta.remainingMs) + stalledMs),
    Math.round(down(eta.low)),
    Math.round(down(eta.high) + 3 * stalledMs),
    stalledMs > 0 ? Math.round(eta.confidence * (stallAfterMs / (stallAfterMs + stalledMs)) * 100) / 100 : eta.confidence,
    eta.method,
    now,
  );
}
