-- Claims (претензии), seller credentials, courier manifests and hand-backs, return boxes, and the
-- custody log of every returned unit. Portable SQL, keyed by pickup point where a row belongs to one.

-- Which items of an issued order the buyer refused (NULL: handed over, or not issued yet). A claim
-- is opened only on an item that was paid for and handed over. Orders issued by an earlier release
-- get theirs from their stored issue ops (the migration's hook).
ALTER TABLE order_items ADD COLUMN refusal_reason TEXT;

-- How the order reaches the buyer: at the counter (`pickup`, in the point's pull feed) or at the
-- door by a courier of the point (`courier`, never in the feed: the counter does not issue it).
ALTER TABLE orders ADD COLUMN delivery TEXT NOT NULL DEFAULT 'pickup' CHECK (delivery IN ('pickup', 'courier'));
-- The feed reads only pickup orders; the index covers the filter so a catch-up stays index-only.
DROP INDEX orders_feed;
CREATE INDEX orders_feed ON orders (pickup_point_id, delivery, version);

-- Employees reach their point's kiosks in the pull feed (name, role, retired; never the PIN hash).
-- `version` is the point's feed version at which the employee last changed.
ALTER TABLE employees ADD COLUMN retired_at TEXT;
ALTER TABLE employees ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX employees_feed ON employees (pickup_point_id, version);

-- Employees added before this release: one fresh feed version each, after their point's head, so
-- every kiosk pulls them on its next call.
UPDATE employees SET version =
    (SELECT p.version FROM pickup_points p WHERE p.id = employees.pickup_point_id)
    + (SELECT COUNT(*) FROM employees e WHERE e.pickup_point_id = employees.pickup_point_id AND e.id <= employees.id);
UPDATE pickup_points SET version = version
    + (SELECT COUNT(*) FROM employees e WHERE e.pickup_point_id = pickup_points.id);

-- A buyer's claim about one paid item. `pickup_point_id` is the original order's point: where a
-- replacement or a missing part is delivered. `compensation` is the JSON of the seller's
-- `Compensation`, set on approval. `return_code` is the signed PVZC1. code of a refund or a
-- replacement. A fulfilled claim names the op (and point) that took the item back.
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

-- A seller's API credential (`pvzs1.<seller>.<secret>`), kept as sha256 like a device's; issuing a
-- new one replaces the old.
CREATE TABLE seller_credentials (
    seller_id     TEXT PRIMARY KEY REFERENCES sellers (id),
    secret_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Items a courier carries back to the point after the buyer refused them at the door. A line is
-- open until a hand-back accepts it.
CREATE TABLE courier_manifest_lines (
    item_id         TEXT PRIMARY KEY REFERENCES order_items (id),
    courier_id      TEXT NOT NULL REFERENCES employees (id),
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    added_at        TEXT NOT NULL,
    hand_back_id    TEXT,
    closed_at       TEXT
);
CREATE INDEX courier_manifest_open ON courier_manifest_lines (courier_id, closed_at);

-- Приём отказов от курьера: one accepted hand-back, and its lines: what was accepted against the
-- manifest, extras that matched no open line, and manifest lines the courier did not bring
-- (`missing`; those stay open on the manifest). Extras and missing lines are the discrepancies.
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

-- Коробки возвратов: a box closed at a point, and its handover to a logistics driver.
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

-- Every returned unit a point took in (its return label's id), where it is now, and the log of
-- how it got there: at the point (from which op), in a box, with a driver. The log is
-- append-only; `holder`/`box_id`/`driver_id` on the unit are its last entry. `item_id` is NULL for
-- an extra item that matched nothing, and is not a foreign key: a unit is recorded even when the
-- item is one the server cannot place, since it is physically at the point and must not get lost.
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
