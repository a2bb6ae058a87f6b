import type { JobEvent, JobEventData } from '@headway/protocol';
import { describe, expect, it } from 'vitest';
import { toJobView } from '../../src/model/job-record.js';
import { jobAfterEach } from '../../src/notify/job-at-event.js';
import { jobWith } from '../model/job.js';

/** A job's event history: seq from 1, one second apart. */
function history(...data: JobEventData[]): JobEvent[] {
  return data.map((d, i) => ({ ...d, jobId: 'job-1', seq: i + 1, at: 1_000 * (i + 1), cursor: 100 + i }) as JobEvent);
}

describe('the job as of each of its events', () => {
  it('a job that failed, was retried by hand and completed: each event keeps its own status, percent, error and finish time', () => {
    const events = history(
      { kind: 'transition', from: 'queued', to: 'running' },
      { kind: 'milestone', percent: 25 },
      { kind: 'error', message: 'disk full', code: 'ENOSPC', attempt: 1 },
      { kind: 'transition', from: 'running', to: 'failed' },
      { kind: 'transition', from: 'failed', to: 'queued', reason: 'retried by hand' },
      { kind: 'transition', from: 'queued', to: 'running' },
      { kind: 'milestone', percent: 50 },
      { kind: 'transition', from: 'running', to: 'completed' },
    );
    const now = toJobView(jobWith({ status: 'completed', percent: 100, startedAt: 1_000, finishedAt: 8_000, attempt: 2, error: null }));
    const asOf = jobAfterEach(now, [50], events);
    const line = (seq: number) => {
      const j = asOf.get(seq)!;
      return `${j.status} ${j.percent}% error=${j.error?.code ?? '-'} finished=${j.finishedAt ?? '-'}`;
    };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(line)).toEqual([
      'running 0% error=- finished=-',
      'running 25% error=- finished=-',
      'running 25% error=ENOSPC finished=-',
      'failed 25% error=ENOSPC finished=4000',
      'queued 0% error=- finished=-',
      'running 0% error=- finished=-',
      'running 50% error=- finished=-',
      'completed 100% error=- finished=8000',
    ]);
  });

  it('events before the replayed ones are not needed: the row and the later events tell the state', () => {
    // Only the events from seq 5 on are listed (the rest were notified before the crash); milestone 25 was announced earlier.
    const events = history(
      { kind: 'created' },
      { kind: 'transition', from: 'queued', to: 'running' },
      { kind: 'milestone', percent: 25 },
      { kind: 'log', level: 'info', message: 'half way' },
      { kind: 'milestone', percent: 50 },
      { kind: 'transition', from: 'running', to: 'paused' },
      { kind: 'transition', from: 'paused', to: 'queued' },
      { kind: 'transition', from: 'queued', to: 'running' },
    ).slice(4);
    const now = toJobView(jobWith({ status: 'running', percent: 64, startedAt: 2_000 }));
    const asOf = jobAfterEach(now, [25, 50], events);
    expect(events.map((e) => `${asOf.get(e.seq)!.status} ${asOf.get(e.seq)!.percent}`)).toEqual(['running 50', 'paused 50', 'queued 50', 'running 50']);
  });

  it('a finished job with no later event keeps the percent its row has', () => {
    const events = history({ kind: 'error', message: 'bad row', code: null, attempt: 1 }, { kind: 'transition', from: 'running', to: 'failed' });
    const now = toJobView(jobWith({ status: 'failed', percent: 72, finishedAt: 2_000, error: { message: 'bad row', code: null, attempt: 1, at: 1_000 } }));
    expect(jobAfterEach(now, [25, 50], events).get(2)).toMatchObject({ status: 'failed', percent: 72, finishedAt: 2_000, error: { message: 'bad row' } });
  });
});
