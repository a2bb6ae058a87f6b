import { channelOf, type HeadwayClient, type WatchTarget, type WatchUpdate } from '@headway/client';
import { FrameBatcher, nextFrame, type FrameScheduler } from './frame-batcher.js';
import { SharedWatch } from './shared-watch.js';

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
  private readonly batcher: FrameBatcher;
  private readonly watch: SharedWatch;
  readonly subscribe: SharedWatch['subscribe'];

  constructor(client: HeadwayClient, target: WatchTarget, schedule: FrameScheduler = nextFrame, onIdle?: () => void) {
    const known = client.watched(target);
    this.published = this.latest = known ? { update: known, error: null } : EMPTY;
    this.batcher = new FrameBatcher(() => this.publish(), schedule);
    this.watch = new SharedWatch(
      () =>
        client.watch(target, (update) => this.receive({ update, error: null }), {
          onError: (error) => this.receive({ update: this.latest.update, error }),
        }),
      onIdle,
    );
    this.subscribe = this.watch.subscribe;
  }

  readonly getSnapshot = (): WatchSnapshot => this.published;

  private receive(snapshot: WatchSnapshot): void {
    this.latest = snapshot;
    this.batcher.request();
  }

  private publish(): void {
    if (this.published === this.latest) return;
    this.published = this.latest;
    this.watch.notify();
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
