import type { NotificationStore } from '../../notification-store.js';
import { withDefaults, type Preferences } from '../../../notify/preferences/schema.js';
import type { TemplateSource } from '../../../notify/templates/defaults.js';
import type { ChannelName } from '../../../notify/types.js';
import type { PgDb } from '../pg-db.js';

type SettingsPart = Pick<
  NotificationStore,
  'getPreferences' | 'watch' | 'unwatch' | 'watchesOf' | 'watchers' | 'getTemplate' | 'listTemplates' | 'putTemplate' | 'deleteTemplate'
>;

/** Preferences, watches and template overrides: single statements, one document or row each. */
export function postgresNotificationSettings(db: PgDb): SettingsPart {
  return {
    async getPreferences(userIds) {
      const rows = await db.all<{ user_id: string; prefs: Partial<Preferences> }>('SELECT user_id, prefs FROM notification_preferences WHERE user_id = ANY($1::text[])', [[...new Set(userIds)]]);
      return new Map(rows.map((row) => [row.user_id, withDefaults(row.prefs)]));
    },
    async watch(w) {
      return (await db.run('INSERT INTO notification_watches (target_kind, target, user_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [w.target.kind, w.target.value, w.userId, w.createdAt])) > 0;
    },
    async unwatch(userId, target) {
      return (await db.run('DELETE FROM notification_watches WHERE target_kind = $1 AND target = $2 AND user_id = $3', [target.kind, target.value, userId])) > 0;
    },
    async watchesOf(userId) {
      const rows = await db.all<{ target_kind: 'job' | 'type'; target: string; created_at: number }>(
        'SELECT target_kind, target, created_at FROM notification_watches WHERE user_id = $1 ORDER BY created_at, target',
        [userId],
      );
      return rows.map((row) => ({ userId, target: { kind: row.target_kind, value: row.target }, createdAt: row.created_at }));
    },
    async watchers(jobIds, jobType) {
      const rows = await db.all<{ user_id: string }>(
        "SELECT DISTINCT user_id FROM notification_watches WHERE (target_kind = 'job' AND target = ANY($1::text[])) OR (target_kind = 'type' AND target = $2)",
        [jobIds, jobType],
      );
      return rows.map((r) => r.user_id);
    },
    async getTemplate(type, channel) {
      return (await db.one<{ template: TemplateSource }>('SELECT template FROM notification_templates WHERE type = $1 AND channel = $2', [type, channel]))?.template ?? null;
    },
    async listTemplates() {
      const rows = await db.all<{ type: string; channel: ChannelName; template: TemplateSource; updated_at: number }>(
        'SELECT type, channel, template, updated_at FROM notification_templates ORDER BY type, channel',
      );
      return rows.map((row) => ({ type: row.type, channel: row.channel, template: row.template, updatedAt: row.updated_at }));
    },
    async putTemplate(type, channel, template, now) {
      await db.run(
        'INSERT INTO notification_templates (type, channel, template, updated_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (type, channel) DO UPDATE SET template = excluded.template, updated_at = excluded.updated_at',
        [type, channel, JSON.stringify(template), now],
      );
    },
    async deleteTemplate(type, channel) {
      return (await db.run('DELETE FROM notification_templates WHERE type = $1 AND channel = $2', [type, channel])) > 0;
    },
  };
}
