-- Sync with the central server: where it is, the device credential, how the last pass went, and
-- each op's result as the server stored it. Outbox rows are still never deleted.

CREATE TABLE sync_settings (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    -- Base URL of the central server, e.g. https://pvz.example.net; NULL until enrolled with one.
    server_url TEXT,
    -- `pvzd1.<device id>.<secret>`, sent as a Bearer token; the server keeps only the secret's hash.
    device_credential TEXT,
    -- RFC 3339 time of the last pass that pushed and pulled everything.
    last_sync_at TEXT,
    -- Human text of the last pass's failure; NULL after a successful pass.
    last_error TEXT
);
INSERT INTO sync_settings (singleton) VALUES (1);

-- Why the server rejected an op (state = 'rejected'): its stable code and its message for people.
ALTER TABLE outbox ADD COLUMN reject_code TEXT;
ALTER TABLE outbox ADD COLUMN reject_message TEXT;
-- When the kiosk learnt the op's result (applied or rejected).
ALTER TABLE outbox ADD COLUMN synced_at TEXT;
-- The attention list reads rejected ops; pushes read pending ones in seq order.
CREATE INDEX outbox_by_state ON outbox (state, seq);
