import type { Store } from '../store/store.js';

/**
 * Numbers the episodes of a per-type condition (queue too deep, failing) the same on every node,
 * so their alert ids match and the outbox's UNIQUE key notifies once per episode cluster-wide.
 * Episode n is closed by the settings row `alerts.episode.<kind>.<type>.<n>` (insert-if-absent, so
 * racing nodes agree); the current episode is the lowest n without that row. One row per closed
 * episode: they are rare (a queue going back under its threshold), so the table stays small.
 */
export class Episodes {
  /** Lowest episode this node knows not to be closed, per `<kind>.<type>`. */
  private readonly current = new Map<string, number>();
  /** Conditions this node saw holding since it last closed their episode. */
  private readonly holding = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** The condition holds: the id of its current episode (the same on every node). */
  async open(kind: string, type: string): Promise<number> {
    const name = `${kind}.${type}`;
    let n = this.current.get(name) ?? 0;
    // Another node may have closed episodes since: skip to the first still open.
    while ((await this.store.keys.getSetting(closedKey(name, n))) !== null) n++;
    this.current.set(name, n);
    this.holding.add(name);
    return n;
  }

  /** The condition no longer holds: closes the episode this node saw open, so the next one alerts again. */
  async close(kind: string, type: string): Promise<void> {
    const name = `${kind}.${type}`;
    if (!this.holding.delete(name)) return;
    const n = this.current.get(name) ?? 0;
    await this.store.keys.initSetting(closedKey(name, n), String(this.now()));
    this.current.set(name, n + 1);
  }

  /** Condition names (`<kind>.<type>`) this node saw holding, to check for their end. */
  held(kind: string): string[] {
    return [...this.holding].filter((name) => name.startsWith(`${kind}.`)).map((name) => name.slice(kind.length + 1));
  }
}

function closedKey(name: string, n: number): string {
  return `alerts.episode.${name}.${n}`;
}
