import type { ServerMessage } from '@headway/protocol';
import WebSocket from 'ws';

/** A raw WebSocket subscriber that records every server message. */
export async function openSubscriber(url: string, token: string | null): Promise<{ ws: WebSocket; messages: ServerMessage[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream${token === null ? '' : `?token=${encodeURIComponent(token)}`}`);
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return { ws, messages, closed };
}
