-- The network's ed25519 signing keys, kept in the database so every server instance and the admin
-- CLI sign with the same key (each data dir used to generate its own). Generation 1 is created by
-- the first start (or imported from an older data dir's key file); `pvz-server rotate-key` adds the
-- next generation, endorsed by the active key, and `rotate-key --activate` makes it the one that
-- signs. The active key is the newest generation with `activated_at` set; at most one newer
-- generation (not activated) waits. `secret` is the private key: protect backups of this database.
CREATE TABLE network_keys (
    generation BIGINT PRIMARY KEY CHECK (generation >= 1),
    secret TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    -- The previous generation's endorsement of `public_key`; NULL for generation 1.
    endorsement TEXT,
    created_at TEXT NOT NULL,
    activated_at TEXT,
    CHECK ((generation = 1) = (endorsement IS NULL))
);

-- When the feed last carried a change of the network's keys to the point's kiosks; 0: never.
ALTER TABLE pickup_points ADD COLUMN keys_version BIGINT NOT NULL DEFAULT 0;
