import type { TemplateSource } from '../../../notify/templates/defaults.js';
import type { ChannelName } from '../../../notify/types.js';
import type { SqliteDb } from '../sqlite-db.js';

export function getTemplate(db: SqliteDb, type: string, channel: ChannelName): TemplateSource | null {
  const row = db.get<{ template: string }>('SELECT template FROM notification_templates WHERE type = ? AND channel = ?', type, channel);
  return row ? (JSON.parse(row.template) as TemplateSource) : null;
}

export function listTemplates(db: SqliteDb): Array<{ type: string; channel: ChannelName; template: TemplateSource; updatedAt: number }> {
  return db
    .all<{ type: string; channel: ChannelName; template: string; updated_at: number }>('SELECT type, channel, template, updated_at FROM notification_templates ORDER BY type, channel')
    .map((row) => ({ type: row.type, channel: row.channel, template: JSON.parse(row.template) as TemplateSource, updatedAt: row.updated_at }));
}

export function putTemplate(db: SqliteDb, type: string, channel: ChannelName, template: TemplateSource, now: number): void {
  db.run(
    'INSERT INTO notification_templates (type, channel, template, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (type, channel) DO UPDATE SET template = excluded.template, updated_at = excluded.updated_at',
    type,
    channel,
    JSON.stringify(template),
    now,
  );
}

export function deleteTemplate(db: SqliteDb, type: string, channel: ChannelName): boolean {
  return db.run('DELETE FROM notification_templates WHERE type = ? AND channel = ?', type, channel).changes > 0;
}
