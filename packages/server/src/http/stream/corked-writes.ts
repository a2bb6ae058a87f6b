/** The part of a writable stream (a net.Socket, an http.ServerResponse) that batches writes. */
interface Corkable {
  cork(): void;
  uncork(): void;
  readonly destroyed: boolean;
}

export interface PassBatcher {
  /** Call before each write: the first write of a pass corks the stream, a microtask uncorks it. */
  batch(): void;
  /** Writes what is corked now: the outbox calls it when its drain ends, so this connection's
   * messages leave before the next connection's are serialized, not after all of them. */
  flush(): void;
}

/**
 * Batches the writes of one synchronous pass into a single socket write. An announcement
 * reaching a connection as ten progress messages then costs one `writev` system call instead
 * of ten, which is most of the fan-out's cost at 10,000 updates/s.
 */
export function passBatcher(stream: Corkable | undefined): PassBatcher {
  if (!stream) return { batch: () => undefined, flush: () => undefined };
  let corked = false;
  const flush = () => {
    if (!corked) return;
    corked = false;
    if (!stream.destroyed) stream.uncork();
  };
  return {
    batch: () => {
      if (corked || stream.destroyed) return;
      corked = true;
      stream.cork();
      queueMicrotask(flush);
    },
    flush,
  };
}
