import { HeadwayError, type ProgressBody } from '@headway/protocol';
import type { Logger } from 'pino';
import { SYSTEM } from '../service/actor.js';
import type { JobsService } from '../service/jobs/jobs-service.js';
import type { HeldJob } from './held-job.js';
import type { JobContext } from './runtime.js';
import { JobCancelledSignal, JobPausedSignal } from './signals.js';

/** Builds the context a handler gets. Reports go through the same service as HTTP reports. */
export function createJobContext(held: HeldJob, jobs: JobsService, logger: Logger): JobContext {
  const id = held.job.id;
  let lastCheckpoint: unknown = held.job.checkpoint ?? undefined;
  const send = (update: ProgressBody): void => {
    jobs.report(id, update, SYSTEM).then(
      (answer) => {
        held.control = answer.control;
      },
      (error: unknown) => {
        if (!(error instanceof HeadwayError && error.code === 'ILLEGAL_TRANSITION')) logger.warn({ err: error, jobId: id }, 'runtime:report failed');
      },
    );
  };
  return {
    job: held.job,
    saved: held.job.checkpoint ?? undefined,
    signal: held.abort.signal,
    step: (name, message) => send(message === undefined ? { step: name } : { step: name, message }),
    progress: (done, total, message) => send({ done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) }),
    report: send,
    log: (message, level = 'info') => logger[level]({ jobId: id, type: held.job.type }, message),
    async checkpoint(state?: unknown): Promise<void> {
      if (state !== undefined) {
        lastCheckpoint = state;
        jobs.saveCheckpoint(id, state);
      }
      if (held.control === 'cancel' || held.abort.signal.aborted) throw new JobCancelledSignal(id);
      if (held.control === 'pause') {
        await jobs.act(id, 'pause', { checkpoint: lastCheckpoint ?? null, leaseHolder: held.leaseOwner }, SYSTEM);
        held.paused = true;
        throw new JobPausedSignal(id);
      }
      // Let other work (reports, control messages) run between the handler's units of work.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
