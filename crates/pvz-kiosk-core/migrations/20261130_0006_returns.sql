-- Everything that flows back through the point: claim returns, courier hand-backs, returned units,
-- return boxes and their handover to logistics, and the employees the counter names on its acts.

-- Server-owned cache (cleared on a pull reset and at enrollment, like orders) ----------------------
-- Couriers and drivers show a badge (PVZE1:<id>); the counter names them on acts even offline.
CREATE TABLE employees (
    employee_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('manager', 'courier', 'driver')),
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);

-- The kiosk's own records --------------------------------------------------------------------------
-- Приём возврата по претензии: a claim return code scanned here, as the signed code stated it, and
-- what the counter did with it. A draft (accepted_at NULL) is what is on the counter; accepting fixes
-- the returned unit and the op. A claim accepted here once is refused when scanned again.
CREATE TABLE claim_returns (
    claim_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    item_name TEXT NOT NULL,
    barcode TEXT,
    compensation TEXT NOT NULL CHECK (compensation IN ('refund', 'replacement')),
    amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks >= 0),
    expires_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    -- The claim's state as the server last said, why (for rejected or revoked), and when it was asked.
    server_state TEXT CHECK (server_state IN ('open', 'approved', 'rejected', 'revoked', 'fulfilled')),
    server_reason TEXT,
    status_checked_at TEXT,
    item_checked INTEGER NOT NULL DEFAULT 0 CHECK (item_checked IN (0, 1)),
    condition TEXT NOT NULL DEFAULT '',
    accepted_at TEXT,
    return_id TEXT UNIQUE,
    op_id TEXT UNIQUE,
    CHECK ((accepted_at IS NULL) = (return_id IS NULL) AND (accepted_at IS NULL) = (op_id IS NULL))
);

-- Photos of the returned item's condition; the bytes are in the evidence folder, like defect photos.
CREATE TABLE claim_photos (
    photo_id TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claim_returns (claim_id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    taken_at TEXT NOT NULL
);
CREATE INDEX claim_photos_by_claim ON claim_photos (claim_id);

-- Приём отказов от курьера: one row per hand-back, open until completed (or deleted when cancelled).
CREATE TABLE hand_backs (
    hand_back_id TEXT PRIMARY KEY,
    courier_id TEXT NOT NULL,
    -- As on the badge's employee record when the courier identified: the act keeps this name.
    courier_name TEXT NOT NULL,
    manifest_loaded INTEGER NOT NULL DEFAULT 0 CHECK (manifest_loaded IN (0, 1)),
    started_at TEXT NOT NULL,
    completed_at TEXT,
    accepted_by TEXT,
    op_id TEXT UNIQUE,
    CHECK ((completed_at IS NULL) = (op_id IS NULL))
);

-- The courier's manifest as the server sent it (what the courier should bring).
CREATE TABLE hand_back_lines (
    hand_back_id TEXT NOT NULL REFERENCES hand_backs (hand_back_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    name TEXT NOT NULL,
    variant TEXT NOT NULL,
    barcode TEXT,
    mark TEXT,
    category TEXT NOT NULL,
    price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
    prepaid INTEGER NOT NULL CHECK (prepaid IN (0, 1)),
    PRIMARY KEY (hand_back_id, item_id)
);

-- What the manager scanned, in scan order; matched to a manifest line or an extra (item_id NULL).
CREATE TABLE hand_back_items (
    return_id TEXT PRIMARY KEY,
    hand_back_id TEXT NOT NULL REFERENCES hand_backs (hand_back_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    is_mark INTEGER NOT NULL CHECK (is_mark IN (0, 1)),
    item_id TEXT,
    order_id TEXT,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    reason TEXT CHECK (reason IN ('defect', 'did_not_fit', 'changed_mind', 'wrong_item', 'incomplete')),
    description TEXT,
    -- The fee fixed when the reason was recorded, as for refusals at the counter.
    fee_kopecks INTEGER CHECK (fee_kopecks >= 0),
    fee_rule TEXT CHECK (fee_rule IN ('defect_free', 'seller_fault_free', 'policy_fee', 'no_fee_in_policy')),
    scanned_at TEXT NOT NULL,
    CHECK ((reason IS NULL) = (fee_kopecks IS NULL) AND (reason IS NULL) = (fee_rule IS NULL))
);
CREATE INDEX hand_back_items_by_hand_back ON hand_back_items (hand_back_id, position);

-- Отправка возвратов: boxes of returned units. Open while closed_at is NULL (at most one at a time).
CREATE TABLE return_boxes (
    box_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    item_count INTEGER CHECK (item_count > 0),
    close_op_id TEXT UNIQUE,
    handover_id TEXT,
    CHECK ((closed_at IS NULL) = (item_count IS NULL) AND (closed_at IS NULL) = (close_op_id IS NULL)),
    CHECK (handover_id IS NULL OR closed_at IS NOT NULL)
);
CREATE UNIQUE INDEX return_boxes_one_open ON return_boxes ((1)) WHERE closed_at IS NULL;

-- A handover of closed boxes to a logistics driver (акт передачи); the driver's name as on the act.
CREATE TABLE box_handovers (
    handover_id TEXT PRIMARY KEY,
    driver_id TEXT NOT NULL,
    driver_name TEXT NOT NULL,
    handed_at TEXT NOT NULL,
    op_id TEXT NOT NULL UNIQUE
);

-- Returned units held at the point until they leave in a box: refused at the counter, handed back by a
-- courier, or accepted on a claim. Names and codes are copied: the order cache may be rebuilt.
CREATE TABLE return_items (
    return_id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('counter_refusal', 'claim', 'courier', 'unredeemed')),
    item_id TEXT,
    order_id TEXT,
    item_name TEXT NOT NULL,
    barcode TEXT,
    mark TEXT,
    reason TEXT CHECK (reason IN ('defect', 'did_not_fit', 'changed_mind', 'wrong_item', 'incomplete')),
    claim_id TEXT,
    hand_back_id TEXT,
    received_at TEXT NOT NULL,
    box_id TEXT REFERENCES return_boxes (box_id),
    boxed_at TEXT
);
CREATE INDEX return_items_by_box ON return_items (box_id, boxed_at);
CREATE INDEX return_items_by_barcode ON return_items (barcode) WHERE box_id IS NULL;
CREATE INDEX return_items_by_mark ON return_items (mark) WHERE box_id IS NULL;

-- What else the counter screen shows, so a restart comes back to the same place.
ALTER TABLE counter_state ADD COLUMN claim_id TEXT;
ALTER TABLE counter_state ADD COLUMN return_label_id TEXT;
ALTER TABLE counter_state ADD COLUMN hand_back_id TEXT;
ALTER TABLE counter_state ADD COLUMN hand_back_act_id TEXT;
ALTER TABLE counter_state ADD COLUMN returns_open INTEGER NOT NULL DEFAULT 0 CHECK (returns_open IN (0, 1));
-- The driver whose badge was scanned at the returns desk.
ALTER TABLE counter_state ADD COLUMN driver_id TEXT;
ALTER TABLE counter_state ADD COLUMN handover_act_id TEXT;
