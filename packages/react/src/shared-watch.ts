/**
 * The listeners of an external store and the one live watch they share: the first listener
 * starts it, the last one to leave stops it and calls `onIdle` (the store leaves its cache).
 */
export class SharedWatch {
  private readonly listeners = new Set<() => void>();
  private stopWatch: (() => void) | null = null;

  constructor(
    private readonly startWatch: () => () => void,
    private readonly onIdle?: () => void,
  ) {}

  /** Whether the watch runs (someone subscribes). */
  get running(): boolean {
    return this.stopWatch !== null;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.stopWatch ??= this.startWatch();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.stopWatch) return;
      this.stopWatch();
      this.stopWatch = null;
      this.onIdle?.();
    };
  };

  /** Tells every listener the snapshot changed. */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
