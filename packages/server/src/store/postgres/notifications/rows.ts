import type { NotificationData } from '../../../notify/types.js';
import { decodeNotification, type NotificationRow, type RowDecoding } from '../../notification-rows.js';
import type { NotificationRecord } from '../../notification-store.js';

export { NOTIFICATION_COLUMNS } from '../../notification-rows.js';

/** node-postgres returns BOOLEAN as boolean and JSONB parsed. */
export type PgNotificationRow = NotificationRow<boolean, NotificationData>;

const PG_DECODING: RowDecoding<boolean, NotificationData> = { flag: (value) => value, data: (value) => value };

export function toNotification(row: PgNotificationRow): NotificationRecord {
  return decodeNotification(row, PG_DECODING);
}
