import type { BusMessage } from '../../bus/bus.js';

/**
 * The in-app notification a bus message carries, if it is one. Read structurally, so the
 * stream routes keep compiling whether or not the bus declares the notification variant.
 */
export function notificationOf(message: BusMessage): { userId: string; notification: unknown } | null {
  const candidate = message as { type: string; userId?: unknown; notification?: unknown };
  if (candidate.type !== 'notification' || typeof candidate.userId !== 'string') return null;
  return { userId: candidate.userId, notification: candidate.notification };
}
