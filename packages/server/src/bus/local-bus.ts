import type { Bus, BusMessage } from './bus.js';

/**
 * In-process bus: delivers synchronously, in publish order, to every listener. A listener
 * that throws is reported through `onListenerError` and never stops delivery to the others.
 */
export class LocalBus implements Bus {
  private readonly listeners = new Set<(message: BusMessage) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  publish(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: (message: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
