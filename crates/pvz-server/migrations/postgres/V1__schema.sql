-- The central server's schema on PostgreSQL: the same tables, columns and constraints as the SQLite
-- migrations 0001-0006 end with, as one first migration (a PostgreSQL database starts at today's
-- schema; it never held the older releases' data the SQLite steps convert).
--
-- Types: money and counters are BIGINT (kopecks, feed versions); 0/1 flags stay BIGINT with a CHECK,
-- as the queries compare them with integers on both backends; times stay RFC 3339 UTC text with
-- milliseconds, the form the protocol carries, which sorts as the instants do.
-- Indexes: PostgreSQL does not index a foreign key's referencing side, so the look-ups by order,
-- device and point that SQLite served from the primary keys get their own below.

CREATE TABLE pickup_points (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    epoch          BIGINT NOT NULL DEFAULT 1,
    version        BIGINT NOT NULL DEFAULT 0,
    fee_policy     TEXT NOT NULL,
    policy_version BIGINT NOT NULL,
    created_at     TEXT NOT NULL,
    storage_policy TEXT,
    utc_offset_seconds BIGINT,
    storage_version BIGINT NOT NULL DEFAULT 0, cells_version BIGINT NOT NULL DEFAULT 0);
CREATE TABLE buyers (
    id        TEXT PRIMARY KEY,
    full_name TEXT NOT NULL
);
CREATE TABLE sellers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    short_code      TEXT NOT NULL,
    buyer_id        TEXT NOT NULL REFERENCES buyers (id),
    status          TEXT NOT NULL CHECK (status IN ('ready', 'issued', 'cancelled')),
    issued_at       TEXT,
    version         BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    delivery TEXT NOT NULL DEFAULT 'pickup' CHECK (delivery IN ('pickup', 'courier')),
    arrived_at TEXT,
    cancel_reason TEXT,
    closed_op_id TEXT);
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
    mark      TEXT,
    refusal_reason TEXT);
CREATE INDEX order_items_by_order ON order_items (order_id, position);
CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    name            TEXT NOT NULL,
    secret_sha256   TEXT NOT NULL,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    revoked_at      TEXT
);
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
    created_at      TEXT NOT NULL,
    retired_at TEXT,
    version BIGINT NOT NULL DEFAULT 0, badge_serial BIGINT NOT NULL DEFAULT 0 CHECK (badge_serial >= 0));
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
    operator_id TEXT,
    PRIMARY KEY (device_id, seq)
);
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
CREATE TABLE fee_policy_history (
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    policy_version  BIGINT NOT NULL,
    fee_policy      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (pickup_point_id, policy_version)
);
CREATE TABLE device_enrollments (
    device_id       TEXT NOT NULL REFERENCES devices (id),
    enrollment_no   BIGINT NOT NULL CHECK (enrollment_no >= 1),
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    device_name     TEXT NOT NULL,
    continued       BIGINT NOT NULL CHECK (continued IN (0, 1)),
    cleared_revoked_at TEXT,
    enrolled_at     TEXT NOT NULL,
    PRIMARY KEY (device_id, enrollment_no)
);
CREATE INDEX orders_feed ON orders (pickup_point_id, delivery, version);
CREATE INDEX employees_feed ON employees (pickup_point_id, version);
CREATE TABLE claims (
    id                   TEXT PRIMARY KEY,
    order_id             TEXT NOT NULL REFERENCES orders (id),
    item_id              TEXT NOT NULL REFERENCES order_items (id),
    pickup_point_id      TEXT NOT NULL REFERENCES pickup_points (id),
    seller_id            TEXT NOT NULL REFERENCES sellers (id),
    buyer_id             TEXT NOT NULL REFERENCES buyers (id),
    state                TEXT NOT NULL CHECK (state IN ('open', 'approved', 'rejected', 'revoked', 'fulfilled')),
    description          TEXT NOT NULL,
    compensation         TEXT,
    reason               TEXT,
    return_code          TEXT,
    part_order_id        TEXT REFERENCES orders (id),
    replacement_order_id TEXT REFERENCES orders (id),
    fulfilled_op_id      TEXT,
    fulfilled_point_id   TEXT REFERENCES pickup_points (id),
    fulfilled_at         TEXT,
    created_at           TEXT NOT NULL,
    decided_at           TEXT,
    revoked_at           TEXT
);
CREATE INDEX claims_by_seller ON claims (seller_id, created_at);
CREATE INDEX claims_by_item ON claims (item_id);
CREATE TABLE seller_credentials (
    seller_id     TEXT PRIMARY KEY REFERENCES sellers (id),
    secret_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE courier_manifest_lines (
    item_id         TEXT PRIMARY KEY REFERENCES order_items (id),
    courier_id      TEXT NOT NULL REFERENCES employees (id),
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    added_at        TEXT NOT NULL,
    hand_back_id    TEXT,
    closed_at       TEXT
);
CREATE INDEX courier_manifest_open ON courier_manifest_lines (courier_id, closed_at);
CREATE TABLE courier_hand_backs (
    id              TEXT PRIMARY KEY,
    op_id           TEXT NOT NULL UNIQUE,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    courier_id      TEXT NOT NULL REFERENCES employees (id),
    accepted_by     TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE TABLE hand_back_lines (
    hand_back_id TEXT NOT NULL REFERENCES courier_hand_backs (id),
    line         BIGINT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('accepted', 'extra', 'missing')),
    return_id    TEXT,
    item_id      TEXT,
    code         TEXT,
    reason       TEXT,
    description  TEXT,
    fee          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hand_back_id, line)
);
CREATE TABLE return_boxes (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    items           BIGINT NOT NULL,
    closed_op_id    TEXT NOT NULL,
    closed_at       TEXT NOT NULL,
    handover_id     TEXT,
    driver_id       TEXT REFERENCES employees (id),
    handed_over_at  TEXT
);
CREATE TABLE return_units (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    item_id         TEXT,
    source          TEXT NOT NULL CHECK (source IN ('counter_refusal', 'claim', 'courier', 'unredeemed')),
    holder          TEXT NOT NULL CHECK (holder IN ('point', 'box', 'driver')),
    box_id          TEXT,
    driver_id       TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX return_units_by_item ON return_units (item_id);
CREATE INDEX return_units_by_box ON return_units (box_id);
CREATE TABLE custody_events (
    return_id       TEXT NOT NULL REFERENCES return_units (id),
    event_no        BIGINT NOT NULL CHECK (event_no >= 1),
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    holder          TEXT NOT NULL CHECK (holder IN ('point', 'box', 'driver')),
    box_id          TEXT,
    driver_id       TEXT,
    op_id           TEXT NOT NULL,
    op_kind         TEXT NOT NULL,
    at              TEXT NOT NULL,
    PRIMARY KEY (return_id, event_no)
);
CREATE INDEX ops_by_point ON ops (pickup_point_id, received_at);
CREATE TABLE cells (
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    label           TEXT NOT NULL,
    position        BIGINT NOT NULL,
    capacity        BIGINT NOT NULL CHECK (capacity >= 0),
    PRIMARY KEY (pickup_point_id, label)
);
CREATE TABLE shipments (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    code            TEXT NOT NULL,
    expected_at     TEXT,
    created_at      TEXT NOT NULL,
    version         BIGINT NOT NULL,
    received_op_id  TEXT,
    received_at     TEXT,
    received_by     TEXT
);
CREATE UNIQUE INDEX shipments_by_code ON shipments (pickup_point_id, code);
CREATE INDEX shipments_feed ON shipments (pickup_point_id, version);
CREATE TABLE shipment_items (
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    position    BIGINT NOT NULL,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    item_id     TEXT NOT NULL REFERENCES order_items (id),
    outcome     TEXT CHECK (outcome IN ('placed', 'missing', 'damaged')),
    cell        TEXT,
    PRIMARY KEY (shipment_id, item_id)
);
CREATE INDEX shipment_items_by_item ON shipment_items (item_id);
CREATE TABLE receiving_discrepancies (
    op_id       TEXT NOT NULL,
    line        BIGINT NOT NULL,
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    kind        TEXT NOT NULL CHECK (kind IN ('missing', 'unexpected', 'damaged')),
    order_id    TEXT,
    item_id     TEXT,
    code        TEXT,
    description TEXT,
    photos      TEXT,
    PRIMARY KEY (op_id, line)
);
CREATE INDEX receiving_discrepancies_by_shipment ON receiving_discrepancies (shipment_id);
CREATE TABLE shifts (
    id              TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    device_id       TEXT NOT NULL REFERENCES devices (id),
    opened_by       TEXT,
    opened_at       TEXT NOT NULL,
    opened_op_id    TEXT NOT NULL,
    closed_by       TEXT,
    closed_at       TEXT,
    closed_op_id    TEXT,
    report          TEXT
);
CREATE INDEX shifts_by_point ON shifts (pickup_point_id, opened_at);

-- Look-ups SQLite served by scanning small tables, and foreign keys followed on delete/update checks.
CREATE INDEX orders_by_short_code ON orders (pickup_point_id, short_code) WHERE status = 'ready';
CREATE INDEX devices_by_point ON devices (pickup_point_id);
CREATE INDEX claims_by_order ON claims (order_id);
CREATE INDEX ledger_transactions_by_point ON ledger_transactions (pickup_point_id, created_at);
CREATE INDEX courier_manifest_by_point ON courier_manifest_lines (pickup_point_id);
CREATE INDEX return_units_by_point ON return_units (pickup_point_id, holder);
CREATE INDEX custody_events_by_point ON custody_events (pickup_point_id);
CREATE INDEX return_boxes_by_point ON return_boxes (pickup_point_id);
CREATE INDEX employees_by_point ON employees (pickup_point_id);
