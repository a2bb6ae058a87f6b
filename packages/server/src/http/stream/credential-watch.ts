import { HeadwayError } from '@headway/protocol';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { Actor } from '../../service/actor.js';
import { KEY_RECHECK_MS, KEY_REFRESH_AHEAD_MS } from '../auth/api-key-lookup.js';
import { apiKeyIdOf } from '../auth/api-keys.js';
import type { Authenticate } from '../auth/authenticate.js';

/**
 * How often the API keys of open streams are checked again: the width of ApiKeyLookup's
 * refresh-ahead window, so each remembered key is used inside that window and refreshed in the
 * background before its check expires (a sweep does not wait for the store). A key revoked
 * through this node is forgotten there, so the next sweep reads the store and sees it; one revoked
 * elsewhere is seen within KEY_RECHECK_MS plus one sweep.
 */
const KEY_SWEEP_MS = KEY_RECHECK_MS - KEY_REFRESH_AHEAD_MS;
/** setTimeout fires at once for longer delays (about 24.8 days), and a user token may live 30 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends one stream whose credential no longer holds; `error` says why (UNAUTHORIZED). */
export type EndUnauthorized = (error: HeadwayError) => void;

/**
 * Ends live streams once the credential that opened them stops holding, as REST refuses it.
 * A user token's stream ends at its `exp`, on a timer of its own. API-key streams are grouped by
 * token and re-identified by one sweep every KEY_SWEEP_MS: a check per key in use, however many
 * streams share it. The admin key cannot change while the process runs.
 */
export class CredentialWatch {
  private readonly streamsByKeyToken = new Map<string, Set<EndUnauthorized>>();
  /** Keys whose check has not answered yet: a slow store gets one check per key, not one per sweep. */
  private readonly checking = new Set<string>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly authenticate: Authenticate,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** Calls `end` once `token` (which resolved to `actor`) is refused; the function returned stops watching. */
  watch(token: string, actor: Actor, end: EndUnauthorized): () => void {
    if (actor.kind === 'key') return this.watchKey(token, end);
    if (actor.kind === 'user') return this.watchExpiry(token, actor.userId, end);
    return () => undefined;
  }

  private watchKey(token: string, end: EndUnauthorized): () => void {
    let streams = this.streamsByKeyToken.get(token);
    if (!streams) this.streamsByKeyToken.set(token, (streams = new Set()));
    streams.add(end);
    this.sweepTimer ??= setInterval(() => this.sweep(), KEY_SWEEP_MS);
    const sharing = streams;
    return () => {
      sharing.delete(end);
      if (sharing.size === 0 && this.streamsByKeyToken.get(token) === sharing) this.streamsByKeyToken.delete(token);
      this.stopSweepingIfIdle();
    };
  }

  private stopSweepingIfIdle(): void {
    if (this.streamsByKeyToken.size > 0 || !this.sweepTimer) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  private sweep(): void {
    for (const [token, streams] of this.streamsByKeyToken) {
      if (this.checking.has(token)) continue;
      this.checking.add(token);
      this.authenticate(token)
        .then(
          () => undefined,
          (error: unknown) => {
            if (!isRefusal(error)) return this.logger.warn({ err: error, keyId: apiKeyIdOf(token) }, 'stream:key recheck failed; the next sweep tries again');
            this.streamsByKeyToken.delete(token);
            this.stopSweepingIfIdle();
            for (const end of streams) end(error);
          },
        )
        .finally(() => this.checking.delete(token));
    }
  }

  /**
   * Checks the token when the server's clock reaches its `exp` and ends the stream if it is
   * refused; a check that finds it still valid (the timer fired early, or an injected clock lags)
   * waits again for what is left.
   */
  private watchExpiry(token: string, userId: string, end: EndUnauthorized): () => void {
    const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000; // verified: a user token has `exp`
    let watching = true;
    let timer: NodeJS.Timeout;
    const wait = (delayMs: number) => (timer = setTimeout(check, Math.min(Math.max(delayMs, 0), MAX_TIMER_MS)));
    const check = () => {
      this.authenticate(token).then(
        () => watching && wait(expiresAtMs - this.now()),
        (error: unknown) => {
          if (!watching) return;
          if (isRefusal(error)) return end(error);
          this.logger.warn({ err: error, userId }, 'stream:user token recheck failed; trying again');
          wait(KEY_SWEEP_MS);
        },
      );
    };
    wait(expiresAtMs - this.now());
    return () => {
      watching = false;
      clearTimeout(timer);
    };
  }
}

function isRefusal(error: unknown): error is HeadwayError {
  return error instanceof HeadwayError && error.code === 'UNAUTHORIZED';
}
