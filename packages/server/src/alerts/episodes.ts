import type { Store } from '../store/store.js';

/** Per type: the number of its latest episode, whether the condition still holds, and since when. */
type EpisodeState = Record<string, { n: number; open: boolean; since: number }>;

/** Rounds of read and compare-and-set before giving up: only as many nodes as check at once can race. */
const MAX_ROUNDS = 20;

/**
 * Numbers the episodes of a per-type condition (queue too deep, failing) the same on every node,
 * so their alert ids match and the outbox's UNIQUE key notifies once per episode cluster-wide.
 * The state is shared, one settings row per kind (`alerts.episodes.<kind>`), changed by
 * compare-and-set: any node that sees a condition end closes its episode, even one another node
 * or this node before a restart opened (kept in memory, such an episode stayed open after a
 * restart and the condition's return reused its id, so nobody was told). A condition that ends
 * and returns between two checks is, to the checks, one episode still under way: no new alert.
 */
export class Episodes {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /**
   * Brings the episodes of `kind` in line with the types found `holding` now: a holding type whose
   * last episode is closed opens the next one; an open episode whose type no longer holds is
   * closed. Answers the current episode number of each holding type.
   */
  async update(kind: string, holding: ReadonlySet<string>): Promise<Map<string, number>> {
    const name = `alerts.episodes.${kind}`;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const stored = await this.store.keys.getSetting(name);
      const state = stored === null ? {} : (JSON.parse(stored) as EpisodeState);
      const next = this.advance(state, holding);
      if (next === state || (await this.store.keys.compareAndSetSetting(name, stored, JSON.stringify(next)))) {
        return new Map([...holding].map((type) => [type, next[type]!.n]));
      }
      // Another node changed the episodes meanwhile: apply this check's findings to its state.
    }
    throw new Error(`episodes of ${kind} changed under this node ${MAX_ROUNDS} times in a row; they are updated again at the next check`);
  }

  /** The state after this check; `state` itself when nothing changes (no write). */
  private advance(state: EpisodeState, holding: ReadonlySet<string>): EpisodeState {
    const next: EpisodeState = { ...state };
    let changed = false;
    const since = this.now();
    for (const [type, episode] of Object.entries(state)) {
      if (episode.open && !holding.has(type)) {
        next[type] = { n: episode.n, open: false, since };
        changed = true;
      }
    }
    for (const type of holding) {
      const episode = state[type];
      if (episode?.open) continue;
      next[type] = { n: episode ? episode.n + 1 : 0, open: true, since };
      changed = true;
    }
    return changed ? next : state;
  }
}
