import type { ApiKeyRecord, KeyStore } from '../../store/store.js';

/**
 * How long a found key is trusted before the store is asked again. Revoking through this node
 * takes effect at once (`forget`); a key revoked elsewhere (another node, `headway keys revoke`
 * on the database) stops working on this node within this time.
 */
export const KEY_RECHECK_MS = 1_000;
/**
 * A key used when its check is this old is checked again in the background, while its requests
 * go on with what was found: a busy worker's request never waits for the store (once a second it
 * did, a round trip on PostgreSQL), and the store is still asked within KEY_RECHECK_MS.
 */
export const KEY_REFRESH_AHEAD_MS = 750;
/** Keys remembered at most (only keys that exist are, so only a server with this many keys reaches it). */
const MAX_REMEMBERED_KEYS = 10_000;

interface Remembered {
  record: ApiKeyRecord;
  checkedAt: number;
}

/**
 * Finds API keys by the hash of their token, remembering what it found for KEY_RECHECK_MS.
 * A worker posts many requests a second with one key; asking the store each time was a
 * database round trip per request (on PostgreSQL a batched worker managed 176,000 reports/s
 * with its key against 309,000 with the admin key). Concurrent requests with a key not yet
 * remembered share one lookup. Unknown hashes are not remembered: guessing cannot fill memory.
 */
export class ApiKeyLookup {
  private readonly remembered = new Map<string, Remembered>();
  private readonly inFlight = new Map<string, Promise<ApiKeyRecord | null>>();
  /** Counts `forget` calls: a lookup that started before one may have read the key unrevoked. */
  private forgets = 0;

  constructor(
    private readonly keys: KeyStore,
    private readonly now: () => number,
  ) {}

  find(hash: string): Promise<ApiKeyRecord | null> {
    const known = this.remembered.get(hash);
    const age = known ? this.now() - known.checkedAt : Infinity;
    if (age >= KEY_RECHECK_MS) return this.inFlight.get(hash) ?? this.lookUp(hash);
    // A failed refresh is not this request's: the next one after KEY_RECHECK_MS asks again and answers it.
    if (age >= KEY_REFRESH_AHEAD_MS && !this.inFlight.has(hash)) this.lookUp(hash).catch(() => undefined);
    return Promise.resolve(known!.record);
  }

  /** Drops a key revoked here, so its next request is checked against the store. */
  forget(keyId: string): void {
    this.forgets++;
    this.inFlight.clear();
    for (const [hash, { record }] of this.remembered) if (record.id === keyId) this.remembered.delete(hash);
  }

  private lookUp(hash: string): Promise<ApiKeyRecord | null> {
    const checkedAt = this.now();
    const forgetsBefore = this.forgets;
    const lookup = this.keys
      .findByHash(hash)
      .then((record) => {
        this.remembered.delete(hash); // re-inserted last: the oldest entry is the first one evicted
        if (record && this.forgets === forgetsBefore) this.remember(hash, record, checkedAt);
        return record;
      })
      .finally(() => {
        if (this.inFlight.get(hash) === lookup) this.inFlight.delete(hash);
      });
    this.inFlight.set(hash, lookup);
    return lookup;
  }

  private remember(hash: string, record: ApiKeyRecord, checkedAt: number): void {
    this.remembered.set(hash, { record, checkedAt });
    if (this.remembered.size > MAX_REMEMBERED_KEYS) this.remembered.delete(this.remembered.keys().next().value!);
  }
}
