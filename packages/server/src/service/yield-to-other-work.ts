/**
 * Lets reports, live updates and other requests in between the steps of a long piece of work.
 * On SQLite a store call finishes synchronously, so a loop of awaited store calls never leaves
 * the event loop by itself: cancelling a batch of 10,000 children held every other request 1.85 s.
 */
export function yieldToOtherWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Store writes between two yields in loops over many jobs: a few milliseconds on SQLite. */
export const WRITES_PER_YIELD = 16;
