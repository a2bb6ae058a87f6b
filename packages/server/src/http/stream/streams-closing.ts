/**
 * Whether the app has begun closing, shared by the stream routes. Streams never end by
 * themselves, so closing must end them; and a stream whose token or channel was still being
 * checked when closing began connects afterwards, where it would keep `app.close()` waiting for
 * ever (a clean-clone CI run hung on this). Such a stream is ended as it connects.
 */
export class StreamsClosing {
  #begun = false;
  readonly #endsOnBegin = new Set<() => void>();

  /** True once `app.close()` has begun: a stream connecting now must be ended at once. */
  get begun(): boolean {
    return this.#begun;
  }

  /** Called from preClose: ends the streams registered with `endOnBegin`. */
  begin(): void {
    this.#begun = true;
    for (const end of this.#endsOnBegin) end();
  }

  /** Calls `end` when closing begins; the function returned forgets it, for a stream that ended first. */
  endOnBegin(end: () => void): () => void {
    this.#endsOnBegin.add(end);
    return () => this.#endsOnBegin.delete(end);
  }
}
