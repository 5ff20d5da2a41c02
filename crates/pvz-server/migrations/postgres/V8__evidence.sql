-- PostgreSQL twin of SQLite's 0013.
-- Counter photos (evidence): what each op names, what the server holds, and uploads in progress.
-- The bytes live in the blob store under their sha256; parts of an upload in progress live there
-- too, under a staging prefix, so any server instance can take the next part.

-- One row per photo an op names, applied or rejected: who may see it follows from it (the point's
-- devices, the item's seller, operators). No foreign keys to orders or items: a rejected op may
-- name an order the server does not have, and its photos are kept all the same.
CREATE TABLE evidence_refs (
    op_id           TEXT NOT NULL,
    photo_id        TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    pickup_point_id TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    claim_id        TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('defect_refusal', 'damaged_at_receiving', 'claim_return')),
    media_type      TEXT NOT NULL,
    size_bytes      BIGINT NOT NULL,
    taken_at        TEXT NOT NULL,
    PRIMARY KEY (op_id, photo_id)
);
-- Upload and read checks: does an op of this point name this hash.
CREATE INDEX evidence_refs_by_sha256 ON evidence_refs (sha256, pickup_point_id);
-- A claim's photos: those of its item.
CREATE INDEX evidence_refs_by_item ON evidence_refs (item_id);

-- A photo stored whole, its hash checked and its type sniffed from the bytes.
CREATE TABLE evidence (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    stored_at  TEXT NOT NULL
);

-- An upload in progress: `received` bytes from the start are in the blob store's staging parts.
-- Moved only by a guarded update (`... WHERE received = <what the part started at>`).
CREATE TABLE evidence_uploads (
    sha256      TEXT PRIMARY KEY,
    total_bytes BIGINT NOT NULL CHECK (total_bytes > 0),
    received    BIGINT NOT NULL CHECK (received >= 0),
    updated_at  TEXT NOT NULL
);
