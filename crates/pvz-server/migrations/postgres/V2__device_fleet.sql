-- The operator's fleet view (`pvz-server devices`): when each device last synced and what it runs.
-- `last_sync_at` is unix seconds, written on a device's sync call at most once per
-- `devices::SYNC_RECORD_INTERVAL_SECS` (or at once when its app or protocol changed), so an idle poll
-- stays a pure read. NULL: the device has not synced since this column was added.
ALTER TABLE devices ADD COLUMN last_sync_at BIGINT;
-- The first product token of the kiosk's User-Agent, e.g. `pvz-kiosk/0.1.0`.
ALTER TABLE devices ADD COLUMN app_version TEXT;
-- The X-Pvz-Protocol the device last spoke.
ALTER TABLE devices ADD COLUMN protocol BIGINT;
