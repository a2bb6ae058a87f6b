import type { ServerMessage } from '@headway/protocol';
import { get, type IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { eventually } from '../support/node.js';

export interface SseFrame {
  id: string | undefined;
  message: ServerMessage | undefined;
  /** Comment lines (heartbeats) in this frame. */
  comments: string[];
}

/** An open SSE response, parsed frame by frame (blank-line separated, as the spec says). */
export interface SseStream {
  status: number;
  contentType: string | null;
  frames: SseFrame[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  next<T extends ServerMessage['type']>(type: T, match?: (m: Extract<ServerMessage, { type: T }>) => boolean): Promise<Extract<ServerMessage, { type: T }>>;
  /** Stops reading the response (the socket buffers fill, then the server's), or starts again. */
  pauseReading(): void;
  resumeReading(): void;
  stop(): void;
}

/**
 * Opens an SSE stream on a socket of its own (node:http, no agent): `stop()` destroys it, as a
 * browser tab that goes away would. (fetch's pool keeps a spare socket open after an abort,
 * which holds up the server's close by its 4 s keep-alive.)
 */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const frames: SseFrame[] = [];
  const request = get(url, { headers, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
  const decoder = new StringDecoder('utf8');
  let pending = '';
  response.on('data', (chunk: Buffer) => {
    pending += decoder.write(chunk);
    let end: number;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      frames.push(parseFrame(pending.slice(0, end)));
      pending = pending.slice(end + 2);
    }
  });
  response.on('error', () => undefined); // ends with stop()
  const ended = new Promise<void>((resolve) => response.once('end', resolve));
  return {
    status: response.statusCode ?? 0,
    contentType: response.headers['content-type'] ?? null,
    frames,
    ended,
    next: (type, match = () => true) =>
      eventually(() => frames.map((f) => f.message).find((m): m is Extract<ServerMessage, { type: typeof type }> => m?.type === type && match(m as never)), 20_000, `an SSE "${type}" message`),
    pauseReading: () => response.pause(),
    resumeReading: () => response.resume(),
    stop: () => request.destroy(),
  };
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { id: undefined, message: undefined, comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('data: ')) frame.message = JSON.parse(line.slice(6)) as ServerMessage;
  }
  return frame;
}
