-- When the current pause began; on resume the paused span is added to paused_ms (paused time is not work time).
ALTER TABLE jobs ADD COLUMN paused_at INTEGER;
