-- The claim's conversation between the buyer (through the buyer front), the seller and the
-- operator: messages in order, never edited, and the attachments they carry. An attachment's bytes
-- live in the blob store under their sha256 (its id); this table keeps what the bytes are and who
-- uploaded them first. Retention (`pvz-server purge-personal-data`) deletes finished claims'
-- messages and links, and the attachments no message names any more.

CREATE TABLE attachments (
    id               TEXT PRIMARY KEY,
    content_type     TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size             BIGINT NOT NULL CHECK (size > 0),
    uploaded_by_kind TEXT NOT NULL CHECK (uploaded_by_kind IN ('seller', 'buyer_front', 'operator')),
    uploaded_by      TEXT NOT NULL,
    created_at       TEXT NOT NULL
);

CREATE TABLE claim_messages (
    claim_id    TEXT NOT NULL REFERENCES claims (id),
    seq         BIGINT NOT NULL CHECK (seq > 0),
    author      TEXT NOT NULL CHECK (author IN ('buyer', 'seller', 'operator')),
    -- The credential's name (the buyer front's, the seller's id, the operator's) that wrote it.
    author_name TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
);

CREATE TABLE claim_message_attachments (
    claim_id      TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    position      BIGINT NOT NULL,
    attachment_id TEXT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (claim_id, seq, position),
    FOREIGN KEY (claim_id, seq) REFERENCES claim_messages (claim_id, seq)
);
-- Whether any message still names an attachment (retention asks it before deleting a blob).
CREATE INDEX claim_message_attachments_by_attachment ON claim_message_attachments (attachment_id);
