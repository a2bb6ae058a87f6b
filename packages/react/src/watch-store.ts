import { channelOf, type HeadwayClient, type WatchTarget, type WatchUpdate } from '@headway/client';
import { FrameBatcher, nextFrame, type FrameScheduler } from './frame-batcher.js';

/** What a watch hook renders: the newest published state and why the watch ended, if it did. */
export interface WatchSnapshot {
  update: WatchUpdate | null;
  error: Error | null;
}

const EMPTY: WatchSnapshot = { update: null, error: null };

/**
 * An external store (for useSyncExternalStore) over one `client.watch`. The watch runs while
 * someone subscribes; updates are published at most once per frame.
 */
export class WatchStore {
  private published: WatchSnapshot;
  private latest: WatchSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly batcher: FrameBatcher;
  private stopWatch: (() => void) | null = null;

  constructor(private readonly client: HeadwayClient, private readonly target: WatchTarget, schedule: FrameScheduler = nextFrame, private readonly onIdle?: () => void) {
    const known = client.watched(target);
    this.published = this.latest = known ? { update: known, error: null } : EMPTY;
    this.batcher = new FrameBatcher(() => this.publish(), schedule);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.stopWatch) {
      this.stopWatch = this.client.watch(this.target, (update) => this.receive({ update, error: null }), {
        onError: (error) => this.receive({ update: this.latest.update, error }),
      });
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.stopWatch) return;
      this.stopWatch();
      this.stopWatch = null;
      this.onIdle?.();
    };
  };

  readonly getSnapshot = (): WatchSnapshot => this.published;

  private receive(snapshot: WatchSnapshot): void {
    this.latest = snapshot;
    this.batcher.request();
  }

  private publish(): void {
    if (this.published === this.latest) return;
    this.published = this.latest;
    for (const listener of [...this.listeners]) listener();
  }
}

const stores = new WeakMap<HeadwayClient, Map<string, WatchStore>>();

/** One store per client and channel, shared by every component that watches it. */
export function watchStoreFor(client: HeadwayClient, target: WatchTarget): WatchStore {
  const key = channelOf(target);
  let byChannel = stores.get(client);
  if (!byChannel) stores.set(client, (byChannel = new Map()));
  let store = byChannel.get(key);
  if (!store) {
    const owner = byChannel;
    store = new WatchStore(client, target, nextFrame, () => owner.delete(key));
    byChannel.set(key, store);
  }
  return store;
}
