-- Cache of server-owned data (rebuilt on a sync "reset") and the kiosk's own records (never rebuilt).

-- Server-owned cache ------------------------------------------------------------------------------
CREATE TABLE enrollment (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    pickup_point_id TEXT NOT NULL,
    pickup_point_name TEXT NOT NULL,
    device_id TEXT NOT NULL,
    server_public_key TEXT NOT NULL,
    pull_cursor TEXT
);

CREATE TABLE fee_policy (
    -- '' holds the default fee for categories without an entry.
    category TEXT PRIMARY KEY,
    fee_kopecks INTEGER NOT NULL CHECK (fee_kopecks >= 0)
);

CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    pickup_point_id TEXT NOT NULL,
    short_code TEXT NOT NULL,
    buyer TEXT NOT NULL,
    server_status TEXT NOT NULL CHECK (server_status IN ('ready', 'in_progress', 'issued')),
    issued_at TEXT
);
CREATE INDEX orders_by_short_code ON orders (short_code);

CREATE TABLE order_items (
    item_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    variant TEXT NOT NULL,
    cell TEXT NOT NULL,
    price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
    prepaid INTEGER NOT NULL CHECK (prepaid IN (0, 1)),
    category TEXT NOT NULL,
    barcode TEXT,
    mark TEXT
);
CREATE INDEX order_items_by_order ON order_items (order_id, position);
-- (code, order) serves both a lookup anywhere and a lookup inside the open order.
CREATE INDEX order_items_by_barcode ON order_items (barcode, order_id);
CREATE INDEX order_items_by_mark ON order_items (mark, order_id);

-- The kiosk's own records ------------------------------------------------------------------------
CREATE TABLE issue_progress (
    order_id TEXT PRIMARY KEY,
    opened_at TEXT NOT NULL
);

CREATE TABLE item_decisions (
    item_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('hand_over', 'refuse')),
    refusal_reason TEXT CHECK (refusal_reason IN ('defect', 'did_not_fit', 'changed_mind', 'wrong_item', 'incomplete')),
    refusal_description TEXT,
    -- The fee fixed when the refusal was recorded: a later policy change does not alter it.
    fee_kopecks INTEGER CHECK (fee_kopecks >= 0),
    fee_rule TEXT CHECK (fee_rule IN ('defect_free', 'seller_fault_free', 'policy_fee', 'no_fee_in_policy')),
    decided_at TEXT NOT NULL,
    CHECK ((decision = 'refuse') = (refusal_reason IS NOT NULL)),
    CHECK ((decision = 'refuse') = (fee_rule IS NOT NULL AND fee_kopecks IS NOT NULL))
);
CREATE INDEX item_decisions_by_order ON item_decisions (order_id);

-- One row per completed выдача; the receipt is rebuilt from it.
CREATE TABLE issues (
    order_id TEXT PRIMARY KEY,
    op_id TEXT NOT NULL UNIQUE,
    issued_at TEXT NOT NULL,
    collected_kopecks INTEGER NOT NULL,
    refunded_kopecks INTEGER NOT NULL
);

-- Every counter action, in the same transaction as its local effect. `seq` is gap-free per device.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected'))
);

-- What the counter screen shows, so a restart comes back to the same place.
CREATE TABLE counter_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    active_order_id TEXT,
    receipt_order_id TEXT
);
INSERT INTO counter_state (singleton) VALUES (1);
