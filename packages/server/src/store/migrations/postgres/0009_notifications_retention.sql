-- Retention (RetentionSweeper) deletes notifications that are no longer waiting to be sent, and
-- closed digests, once older than the retention window, and a purged job's notifications and
-- watches with it. Without these indexes each chunk of that purge read the whole outbox.
-- The predicate is the purge's own ("not pending"), so a status added later is covered. IF NOT
-- EXISTS: tests of earlier migrations roll the ledger back and migrate again.
CREATE INDEX IF NOT EXISTS notifications_finished ON notifications (updated_at) WHERE status NOT IN ('queued', 'sending', 'failed', 'deferred');
CREATE INDEX IF NOT EXISTS notifications_by_job ON notifications (job_id);
CREATE INDEX IF NOT EXISTS notification_digests_closed ON notification_digests (closed_at) WHERE closed_at IS NOT NULL;
