-- Photos of a defect, attached to a refused item at the counter. The image bytes live in the
-- evidence folder beside the store, named by their SHA-256; this table is the index.
CREATE TABLE defect_photos (
    photo_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    taken_at TEXT NOT NULL
);
CREATE INDEX defect_photos_by_item ON defect_photos (item_id);
