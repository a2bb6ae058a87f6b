/** Thrown by `checkpoint()` when the job was paused there: the handler should just return. */
export class JobPausedSignal extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was paused at its checkpoint`);
    this.name = 'JobPausedSignal';
  }
}

/** Thrown by `checkpoint()` once the job is asked to cancel; the handler may clean up and rethrow. */
export class JobCancelledSignal extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = 'JobCancelledSignal';
  }
}
