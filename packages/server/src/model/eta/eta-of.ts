import type { Eta, EtaMethod } from '@headway/protocol';

/**
 * Every estimate is built by this one literal, so all share one hidden class with their fields
 * inside the object. Spreads (`{ ...eta, at }`, `{ remainingMs, ...interval }`) gave some of them
 * a second, out-of-object property array: one more allocation per estimate, for every running job
 * every refresh, each alive until the next.
 */
export function etaOf(remainingMs: number, low: number, high: number, confidence: number, method: EtaMethod, at: number): Eta {
  return { remainingMs, low, high, confidence, method, at };
}
