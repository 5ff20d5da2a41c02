-- Receiving (приёмка) into cells, moving items between cells, and storage expiry (issue 5).

-- Server-owned cache (cleared on a pull reset and at enrollment, like orders) ----------------------
-- When the order arrived at the point, as the server knows it; its storage period counts from here
-- unless this kiosk received it itself.
ALTER TABLE orders ADD COLUMN arrived_at TEXT;

-- The point's storage period (срок хранения) as JSON (pvz_domain::StoragePolicy) and the UTC offset
-- its days are counted in. No row: no policy pulled yet.
CREATE TABLE storage_policy (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    policy TEXT NOT NULL,
    utc_offset_seconds INTEGER NOT NULL CHECK (utc_offset_seconds BETWEEN -64800 AND 64800)
);

-- The point's cells, in the server's order; canonical labels (A-07). Capacity 0: out of use.
CREATE TABLE cells (
    label TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 0)
);

-- Inbound shipments the point should expect, and the items each brings.
CREATE TABLE shipments (
    shipment_id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    expected_at TEXT,
    received INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1))
);
CREATE INDEX shipments_by_code ON shipments (code);

CREATE TABLE shipment_items (
    shipment_id TEXT NOT NULL REFERENCES shipments (shipment_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    order_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (shipment_id, item_id)
);
CREATE INDEX shipment_items_by_item ON shipment_items (item_id);

-- The kiosk's own records --------------------------------------------------------------------------
-- Приёмка sessions. Open while closed_at is NULL (at most one at a time, surviving a restart);
-- a cancelled one is deleted with its rows. The item scanned and waiting for its cell label is
-- `pending_item_id`, with the cell proposed for it.
CREATE TABLE receivings (
    receiving_id TEXT PRIMARY KEY,
    shipment_id TEXT NOT NULL,
    shipment_code TEXT NOT NULL,
    expected_at TEXT,
    opened_at TEXT NOT NULL,
    pending_item_id TEXT,
    pending_cell TEXT,
    pending_with_buyer INTEGER NOT NULL DEFAULT 0 CHECK (pending_with_buyer IN (0, 1)),
    closed_at TEXT,
    op_id TEXT UNIQUE,
    CHECK ((closed_at IS NULL) = (op_id IS NULL)),
    CHECK ((pending_item_id IS NULL) = (pending_cell IS NULL)),
    CHECK (closed_at IS NULL OR pending_item_id IS NULL)
);
CREATE UNIQUE INDEX receivings_one_open ON receivings ((1)) WHERE closed_at IS NULL;
CREATE INDEX receivings_by_shipment ON receivings (shipment_id);

-- The shipment's expected items as they were when the session opened (names and codes copied: the
-- order cache may be rebuilt meanwhile), and what became of each.
CREATE TABLE receiving_items (
    receiving_id TEXT NOT NULL REFERENCES receivings (receiving_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    short_code TEXT NOT NULL,
    buyer TEXT NOT NULL,
    name TEXT NOT NULL,
    variant TEXT NOT NULL,
    category TEXT NOT NULL,
    barcode TEXT,
    mark TEXT,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'placed', 'damaged')),
    -- As scanned, and as proposed (they differ when the manager chose another cell with room).
    cell TEXT,
    proposed_cell TEXT,
    placed_at TEXT,
    damage TEXT,
    PRIMARY KEY (receiving_id, item_id),
    CHECK ((state = 'placed') = (cell IS NOT NULL) AND (state = 'placed') = (placed_at IS NOT NULL)),
    CHECK ((state = 'damaged') = (damage IS NOT NULL))
);
CREATE INDEX receiving_items_by_item ON receiving_items (item_id);

-- Codes scanned in a session that matched no expected item: discrepancies, each code once.
CREATE TABLE receiving_unexpected (
    receiving_id TEXT NOT NULL REFERENCES receivings (receiving_id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    PRIMARY KEY (receiving_id, code)
);

-- Photos of items that arrived damaged; the bytes are in the evidence folder, like defect photos.
CREATE TABLE receiving_photos (
    photo_id TEXT PRIMARY KEY,
    receiving_id TEXT NOT NULL REFERENCES receivings (receiving_id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    taken_at TEXT NOT NULL
);
CREATE INDEX receiving_photos_by_item ON receiving_photos (receiving_id, item_id);

-- Where this kiosk put an item (closing a receiving, or a move), with the op that tells the server.
-- The newest unsettled row overrides the cached cell until the feed sends the order again after the
-- server answered the op (then the feed is the truth and the row is settled). Rows are never deleted.
CREATE TABLE cell_placements (
    placement_id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    cell TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('received', 'moved')),
    op_id TEXT NOT NULL,
    settled INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))
);
CREATE INDEX cell_placements_by_item ON cell_placements (item_id, placement_id);
CREATE INDEX cell_placements_unsettled ON cell_placements (order_id) WHERE settled = 0;

-- What the shelf screens show, so a restart comes back to them: the item `find_item` found, and
-- whether the list of items past their period is open.
CREATE TABLE shelf_screen (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    found_item_id TEXT,
    found_return_id TEXT,
    found_matches INTEGER NOT NULL DEFAULT 0,
    expiry_open INTEGER NOT NULL DEFAULT 0 CHECK (expiry_open IN (0, 1))
);
INSERT INTO shelf_screen (singleton) VALUES (1);
