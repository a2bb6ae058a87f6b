import type { NotificationData } from '../../../notify/types.js';
import { decodeNotification, type NotificationRow as Row, type RowDecoding } from '../../notification-rows.js';
import type { NotificationRecord } from '../../notification-store.js';

export { NOTIFICATION_COLUMNS } from '../../notification-rows.js';

/** SQLite stores booleans as 0/1 and the data as JSON text. */
export type NotificationRow = Row<number, string>;

const SQLITE_DECODING: RowDecoding<number, string> = { flag: (value) => value === 1, data: (value) => JSON.parse(value) as NotificationData };

export function toNotification(row: NotificationRow): NotificationRecord {
  return decodeNotification(row, SQLITE_DECODING);
}

/** `?, ?, ?` for an IN list (callers cap the list length). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
