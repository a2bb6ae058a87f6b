import type { ClientMessage, ServerMessage } from '@headway/protocol';
import WebSocket from 'ws';
import { eventually } from '../support/node.js';

export interface Subscriber {
  ws: WebSocket;
  /** Every server message, in arrival order. */
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: ClientMessage): void;
  /** Waits for the first message (from index `from`) that matches. */
  next<T extends ServerMessage['type']>(type: T, match?: (m: Extract<ServerMessage, { type: T }>) => boolean, from?: number): Promise<Extract<ServerMessage, { type: T }>>;
  /** Stops reading from the socket (the kernel buffers fill, then the server's), or starts again. */
  pauseReading(): void;
  resumeReading(): void;
}

/** A raw WebSocket subscriber that records every server message. `token: null` sends none. */
export async function openSubscriber(url: string, token: string | null): Promise<Subscriber> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream${token === null ? '' : `?token=${encodeURIComponent(token)}`}`);
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const tcp = () => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return {
    ws,
    messages,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    next: (type, match = () => true, from = 0) =>
      eventually(() => messages.slice(from).find((m): m is Extract<ServerMessage, { type: typeof type }> => m.type === type && match(m as never)), 20_000, `a "${type}" message`),
    pauseReading: () => tcp().pause(),
    resumeReading: () => tcp().resume(),
  };
}

/** Seqs of the durable events a subscriber received for one job, in arrival order. */
export function eventSeqsOf(messages: ServerMessage[], jobId: string): number[] {
  return messages.flatMap((m) => (m.type === 'event' && m.jobId === jobId ? [m.seq] : []));
}

/** Statuses a subscriber saw a job move to, in arrival order. */
export function transitionsOf(messages: ServerMessage[], jobId: string): string[] {
  return messages.flatMap((m) => (m.type === 'event' && m.jobId === jobId && m.event.kind === 'transition' ? [m.event.to] : []));
}
