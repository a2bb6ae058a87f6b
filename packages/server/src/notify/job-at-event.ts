import { FINAL_STATUSES, type Job, type JobError, type JobEvent, type JobStatus } from '@headway/protocol';

/**
 * The job as it was right after each of its events, for notifications written late (replayed
 * after a restart), when the stored row already shows what happened since. Pure.
 *
 * `events` are the job's events in seq order, from the oldest one asked about up to the one the
 * row is at (`current` and its announced `milestones` are the row's state after the last one):
 * - status: exact, undone backwards through each later transition's `from`;
 * - percent: a milestone's own percent, 100 once completed, the row's when the job is finished
 *   and nothing followed (finished jobs take no progress); otherwise the highest milestone the
 *   job had announced by then (progress ticks leave no event, so that is all that is known);
 * - error: the latest `error` event by then (each carries message, code, attempt);
 * - finishedAt / startedAt: from the transitions and the event's time.
 * Every other field (done, total, message, title, counts, ...) is the row's: no event carries it.
 */
export function jobAfterEach(current: Job, milestones: readonly number[], events: readonly JobEvent[]): Map<number, Job> {
  const known = forwardFacts(events);
  const after = new Map<number, Job>();
  // Backwards: the state after events[i] is the row's, with the events after i undone.
  let status: JobStatus = current.status;
  const announced = new Set(milestones);
  let laterEvents = false;
  let laterError = false;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const facts = known[i]!;
    const finished = FINAL_STATUSES.includes(status);
    let percent = Math.max(0, facts.milestone, ...announced);
    if (event.kind === 'milestone') percent = event.percent;
    else if (status === 'completed') percent = 100;
    else if (finished && !laterEvents) percent = current.percent;
    after.set(event.seq, {
      ...current,
      status,
      percent,
      error: facts.error !== undefined ? facts.error : laterError ? null : current.error,
      finishedAt: finished ? (facts.finishedAt ?? current.finishedAt) : null,
      startedAt: current.startedAt !== null && current.startedAt <= event.at ? current.startedAt : null,
    });
    // Undo the event, so the next (earlier) one sees the state before it.
    if (event.kind === 'transition' && event.from !== null) status = event.from;
    // A retry by hand cleared the milestones and the error: the earlier attempt's are unknown from here.
    if (isRetry(event)) announced.clear();
    if (isRetry(event) || event.kind === 'error') laterError = true;
    if (event.kind === 'milestone') announced.delete(event.percent);
    laterEvents = true;
  }
  return after;
}

interface ForwardFacts {
  /** Highest milestone announced by then among the listed events (since the last retry by hand). */
  milestone: number;
  /** The newest error by then; null after a retry by hand; undefined when the list holds neither. */
  error: JobError | null | undefined;
  /** Time of the newest transition to a final status by then. */
  finishedAt: number | null;
}

/** What the listed events themselves say up to each index, in one pass. */
function forwardFacts(events: readonly JobEvent[]): ForwardFacts[] {
  let facts: ForwardFacts = { milestone: 0, error: undefined, finishedAt: null };
  return events.map((event) => {
    if (isRetry(event)) facts = { milestone: 0, error: null, finishedAt: null };
    else if (event.kind === 'milestone') facts = { ...facts, milestone: Math.max(facts.milestone, event.percent) };
    else if (event.kind === 'error') facts = { ...facts, error: { message: event.message, code: event.code, attempt: event.attempt, at: event.at } };
    else if (event.kind === 'transition' && FINAL_STATUSES.includes(event.to)) facts = { ...facts, finishedAt: event.at };
    return facts;
  });
}

/** `failed | cancelled → queued`: a retry by hand (progress, milestones and error start over). */
function isRetry(event: JobEvent): boolean {
  return event.kind === 'transition' && event.to === 'queued' && (event.from === 'failed' || event.from === 'cancelled');
}
