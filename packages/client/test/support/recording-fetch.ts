/** One request as the client sent it, and the status it got (null: no answer reached the client). */
export interface SentRequest {
  method: string;
  path: string;
  body: string;
  status: number | null;
}

/** `unreachable`: fail before the server sees the request; `answer-lost`: after it has handled it. */
export type Interference = 'unreachable' | 'answer-lost' | undefined;

/**
 * The real fetch, recording every request, that can fail a call the way a network does: before
 * it reaches the server, or after the server handled it and before the answer arrives.
 */
export function recordingFetch(interfere: (request: SentRequest) => Interference = () => undefined): { fetch: (input: string, init?: RequestInit) => Promise<Response>; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetchAndRecord = async (input: string, init?: RequestInit): Promise<Response> => {
    const request: SentRequest = { method: init?.method ?? 'GET', path: new URL(input).pathname, body: typeof init?.body === 'string' ? init.body : '', status: null };
    sent.push(request);
    const interference = interfere(request);
    if (interference === 'unreachable') throw new TypeError('fetch failed (test: the server is unreachable)');
    const response = await fetch(input, init);
    if (interference === 'answer-lost') {
      await response.body?.cancel();
      throw new TypeError('fetch failed (test: the answer was lost)');
    }
    request.status = response.status;
    return response;
  };
  return { fetch: fetchAndRecord, sent };
}
