-- The central server's schema. Portable on purpose (BIGINT/TEXT, no SQLite-only types or functions) so
-- the same tables can live in PostgreSQL, distributed by pickup_point_id.

-- A pickup point (ПВЗ). `version` counts changes to its pull feed; `epoch` changes when the feed is
-- rebuilt and every kiosk must reset its cache.
CREATE TABLE pickup_points (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    epoch          BIGINT NOT NULL DEFAULT 1,
    version        BIGINT NOT NULL DEFAULT 0,
    fee_policy     TEXT NOT NULL,
    policy_version BIGINT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE buyers (
    id        TEXT PRIMARY KEY,
    full_name TEXT NOT NULL
);

CREATE TABLE sellers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- `version` is the pickup point's feed version at which this order last changed.
CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    short_code      TEXT NOT NULL,
    buyer_id        TEXT NOT NULL REFERENCES buyers (id),
    status          TEXT NOT NULL CHECK (status IN ('ready', 'issued', 'cancelled')),
    issued_at       TEXT,
    version         BIGINT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX orders_feed ON orders (pickup_point_id, version);

CREATE TABLE order_items (
    id        TEXT PRIMARY KEY,
    order_id  TEXT NOT NULL REFERENCES orders (id),
    position  BIGINT NOT NULL,
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    name      TEXT NOT NULL,
    variant   TEXT NOT NULL,
    cell      TEXT NOT NULL,
    price     BIGINT NOT NULL CHECK (price >= 0),
    prepaid   BIGINT NOT NULL CHECK (prepaid IN (0, 1)),
    category  TEXT NOT NULL,
    barcode   TEXT,
    mark      TEXT
);
CREATE INDEX order_items_by_order ON order_items (order_id, position);

-- An enrolled kiosk. Only the sha256 of its credential secret is kept.
CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    name            TEXT NOT NULL,
    secret_sha256   TEXT NOT NULL,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    revoked_at      TEXT
);

-- One-time enrollment codes, kept as sha256; `expires_at` in unix seconds.
CREATE TABLE enrollment_codes (
    code_sha256     TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    expires_at      BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    used_at         TEXT,
    used_by_device  TEXT
);

CREATE TABLE employees (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('manager', 'courier', 'driver')),
    pin_hash        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- Every op a device pushed, with the result it got: the record that makes a retry a duplicate.
CREATE TABLE ops (
    device_id       TEXT NOT NULL REFERENCES devices (id),
    seq             BIGINT NOT NULL,
    op_id           TEXT NOT NULL UNIQUE,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    reject_code     TEXT,
    reject_message  TEXT,
    PRIMARY KEY (device_id, seq)
);

-- Double-entry ledger: one transaction per money effect of an op, entries summing to zero.
CREATE TABLE ledger_transactions (
    id              TEXT PRIMARY KEY,
    op_id           TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    created_at      TEXT NOT NULL
);

CREATE TABLE ledger_entries (
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions (id),
    line           BIGINT NOT NULL,
    account        TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account);
