-- Receiving (приёмка) and cells, storage expiry, staff login and shifts, and the operator of every
-- op. Portable SQL, keyed by pickup point where a row belongs to one.

-- The manager logged in at the kiosk when the op was done (NULL: pushed before staff login, or by a
-- kiosk without it). Stored as sent, never a reason to refuse an op: the audit reads it.
ALTER TABLE ops ADD COLUMN operator_id TEXT;
CREATE INDEX ops_by_point ON ops (pickup_point_id, received_at);

-- Срок хранения: the point's storage policy (JSON of `StoragePolicy`) and the UTC offset its local
-- days are counted in; NULL until set. Each has the feed version it last changed at (0: never).
ALTER TABLE pickup_points ADD COLUMN storage_policy TEXT;
ALTER TABLE pickup_points ADD COLUMN utc_offset_seconds BIGINT;
ALTER TABLE pickup_points ADD COLUMN storage_version BIGINT NOT NULL DEFAULT 0;
-- Ячейки: the point's cells are replaced as a whole; `cells_version` is when they last changed.
ALTER TABLE pickup_points ADD COLUMN cells_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE cells (
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    label           TEXT NOT NULL,
    position        BIGINT NOT NULL,
    capacity        BIGINT NOT NULL CHECK (capacity >= 0),
    PRIMARY KEY (pickup_point_id, label)
);

-- When the order arrived at the point (its first item placed in a cell; RFC 3339): its storage
-- period counts from here. NULL: expected in a shipment, not received yet. An order that leaves the
-- shelf unredeemed is cancelled with `cancel_reason = 'unredeemed'` by the op named in
-- `closed_op_id`.
ALTER TABLE orders ADD COLUMN arrived_at TEXT;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
ALTER TABLE orders ADD COLUMN closed_op_id TEXT;

-- Orders of earlier releases were put on the shelf when they were added. Those still waiting must
-- reach every kiosk again, so it learns their arrival and can list them when they expire.
UPDATE orders SET arrived_at = created_at WHERE delivery = 'pickup';
-- Earlier releases also sent employees without a PIN hash, and a working manager's change now carries
-- it (a kiosk checks a PIN login offline, and requires login once it holds one): working managers go
-- again too. Retired managers, couriers and drivers are sent as before (no hash of theirs leaves the
-- server). Each row gets a fresh feed version after its point's head (orders first), so a kiosk
-- upgraded in place, its cursor at the old head, pulls them all on its next call.
CREATE TABLE feed_restamp AS
    SELECT kind, id, pickup_point_id,
           ROW_NUMBER() OVER (PARTITION BY pickup_point_id ORDER BY kind, version, id) AS rn
    FROM (SELECT 0 AS kind, id, pickup_point_id, version FROM orders
          WHERE delivery = 'pickup' AND status = 'ready'
          UNION ALL
          SELECT 1, id, pickup_point_id, version FROM employees
          WHERE role = 'manager' AND retired_at IS NULL) AS waiting;
CREATE UNIQUE INDEX feed_restamp_by_id ON feed_restamp (kind, id);
UPDATE orders SET version = (SELECT p.version FROM pickup_points p WHERE p.id = orders.pickup_point_id)
    + (SELECT r.rn FROM feed_restamp r WHERE r.kind = 0 AND r.id = orders.id)
WHERE id IN (SELECT id FROM feed_restamp WHERE kind = 0);
UPDATE employees SET version = (SELECT p.version FROM pickup_points p WHERE p.id = employees.pickup_point_id)
    + (SELECT r.rn FROM feed_restamp r WHERE r.kind = 1 AND r.id = employees.id)
WHERE id IN (SELECT id FROM feed_restamp WHERE kind = 1);
UPDATE pickup_points SET version = version
    + (SELECT COUNT(*) FROM feed_restamp r WHERE r.pickup_point_id = pickup_points.id);
DROP TABLE feed_restamp;

-- An inbound shipment the point expects, and the items it brings. Received once, by one op; its
-- items then say what became of each (placed into `cell`, missing, damaged).
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

-- Расхождения при приёмке: what a receiving op recorded beside the placed items: an expected item
-- that did not arrive, a code nobody expected, an item that arrived damaged (with its photos' JSON).
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

-- Смены: a shift a manager opened on a device, and its closing with the shift report (JSON of
-- `ShiftReport`). Times are the ops' own (the counter's clock).
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
