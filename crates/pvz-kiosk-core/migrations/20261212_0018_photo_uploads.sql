-- Counter photos on their way to the central server, one row per photo's bytes (SHA-256, as the
-- evidence folder names the file): created in the transaction that queues the first op naming
-- the photo, so a restart loses none. The photo is uploaded once that op has an answer from the
-- server (applied or rejected: a rejected op's photos are evidence too).
--   waiting:  not confirmed yet; `acknowledged_bytes` is how much the server said it holds.
--   uploaded: the server confirmed it whole (`confirmed_at`); never sent again. The file is kept
--             for the retention period after that, then deleted (`pruned_at`); reading it then
--             fetches it from the server.
--   failed:   the server refused it for good (not a photo it takes, too large): `last_error` says
--             why, and it is not sent again.
CREATE TABLE photo_uploads (
    sha256 TEXT PRIMARY KEY,
    first_seq INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'uploaded', 'failed')),
    acknowledged_bytes INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged_bytes >= 0),
    last_error TEXT,
    confirmed_at TEXT,
    pruned_at TEXT
);
CREATE INDEX photo_uploads_by_state ON photo_uploads (state, first_seq);

-- Photos named by ops queued before this release: none was ever uploaded, so each waits for its
-- first op, found by the `sha256` fields of the op's JSON (a defect photo's own, a receiving's
-- damaged items', a claim return's).
INSERT INTO photo_uploads (sha256, first_seq)
SELECT lower(field.value), min(outbox.seq)
FROM outbox, json_tree(outbox.payload) AS field
WHERE field.key = 'sha256' AND field.type = 'text'
GROUP BY lower(field.value);
