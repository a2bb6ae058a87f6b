/** A request the client made to the scripted server. */
export interface ScriptedCall {
  method: string;
  path: string;
  body: unknown;
}

export type ScriptedAnswer = { status?: number; body?: unknown } | 'unreachable';

/**
 * A fetch answered by a function instead of a server, for tests that run on fake timers (no
 * sockets, so nothing waits on real time). `unreachable` fails the call as a network would.
 */
export function scriptedFetch(answer: (call: ScriptedCall) => ScriptedAnswer): { fetch: (input: string, init?: RequestInit) => Promise<Response>; calls: ScriptedCall[] } {
  const calls: ScriptedCall[] = [];
  const fetchScripted = async (input: string, init?: RequestInit): Promise<Response> => {
    const call: ScriptedCall = { method: init?.method ?? 'GET', path: new URL(input).pathname, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined };
    calls.push(call);
    const answered = answer(call);
    if (answered === 'unreachable') throw new TypeError('fetch failed (test: the server is unreachable)');
    return new Response(answered.body === undefined ? null : JSON.stringify(answered.body), { status: answered.status ?? 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetchScripted, calls };
}
