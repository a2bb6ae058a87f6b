-- A notification can be skipped: at send time the dispatcher finds that the user no longer wants
-- it (the job muted, the channel or type switched off, the contact removed) and marks it so,
-- with the reason in last_error. Written to run again safely (tests roll the ledger back).
ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'deferred', 'dead', 'skipped'));
