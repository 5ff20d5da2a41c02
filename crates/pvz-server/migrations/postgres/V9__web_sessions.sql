-- The seller and operator web page (`/seller/`): sessions a credential was exchanged for, in the
-- database so every server instance honours them. Only the sha256 of the session token (the cookie)
-- and of its CSRF token are kept: a copy of this table signs nobody in. `party` is `seller` or
-- `operator`, `principal` the seller's id or the operator's name; `created_at`/`expires_at` are
-- unix seconds; `ended_at` is set on sign-out (a row is never reused).
CREATE TABLE web_sessions (
    token_sha256 TEXT PRIMARY KEY,
    party        TEXT NOT NULL,
    principal    TEXT NOT NULL,
    csrf_sha256  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ended_at     BIGINT
);
-- Expired and ended sessions are deleted by their end time.
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
-- The fleet view: the kiosk's own count of ops waiting in its outbox, as its last recorded sync call
-- reported it (`x-pvz-outbox-waiting`); NULL: never reported.
ALTER TABLE devices ADD COLUMN ops_waiting BIGINT;
-- The operator's attention list reads rejected ops across points, newest first.
CREATE INDEX ops_rejected_by_time ON ops (received_at) WHERE status = 'rejected';
