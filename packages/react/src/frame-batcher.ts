/** Schedules one callback for the next frame: requestAnimationFrame in browsers, a 16 ms timer elsewhere. */
export type FrameScheduler = (callback: () => void) => void;

export const nextFrame: FrameScheduler = (callback) => {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame;
  if (raf) raf(callback);
  else setTimeout(callback, 16);
};

/**
 * Coalesces many `request()` calls into one `flush` per frame, so a job reporting 1,000
 * ticks a second re-renders its components at most at the display's rate.
 */
export class FrameBatcher {
  private scheduled = false;

  constructor(private readonly flush: () => void, private readonly schedule: FrameScheduler = nextFrame) {}

  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}
