/** What a polled check returns: a truthy value ends the wait. */
export type Check<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

/**
 * Polls `check` until it returns a truthy value and returns it; a check that throws is tried again.
 * Throws after `timeoutMs` saying what it waited for and the last error. The one poller every
 * package's tests share (client, react and dashboard tests import it from here).
 */
export async function waitFor<T>(what: string, check: Check<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
