-- Честный ЗНАК: a marking code finds its item by GTIN-14, the (01) of the mark, which is the
-- EAN-13, EAN-8 or UPC-A printed on the same product zero-padded to 14 digits. `gtin` holds that key
-- for each cached item, from its expected mark (GTIN-14 + serial) or else its barcode, so the lookup
-- of a scanned mark is one indexed read. The kiosk fills it at upsert only for a barcode with a valid
-- check digit; the backfill here cannot check digits, which changes nothing: a scanned GTIN always
-- has a valid one, so it never equals the key of a barcode without.
ALTER TABLE order_items ADD COLUMN gtin TEXT;
UPDATE order_items SET gtin = CASE
    WHEN mark GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]?*'
        THEN substr(mark, 1, 14)
    WHEN length(barcode) IN (8, 12, 13, 14) AND barcode NOT GLOB '*[^0-9]*'
        THEN substr('000000' || barcode, -14)
END;
CREATE INDEX order_items_by_gtin ON order_items (gtin, order_id);

-- The marking code scanned off an item of the open order (canonical, GS kept): the op that hands
-- the item over carries it, so the server can report the unit's sale with its code. A later scan of
-- the same item replaces it; it goes with the order's cache on a reset only if the item does.
CREATE TABLE scanned_marks (
    item_id    TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL,
    mark       TEXT NOT NULL,
    scanned_at TEXT NOT NULL
);
