-- Enrollment as one step that survives a lost answer, and a feed that never mixes two enrollments.
--
-- `enrollment_generation` moves at every enrollment (which clears the cache and the pull cursor): a
-- pull page fetched under an older generation is dropped instead of applied, so a page asked for
-- with the cursor from before the clear cannot move the cursor past what the cache lost.
ALTER TABLE sync_settings ADD COLUMN enrollment_generation INTEGER NOT NULL DEFAULT 0;

-- A pending enrollment: the kiosk makes its device secret itself and keeps it here, with the server
-- and the code, before it asks the server (which gets only the secret's sha256). An answer lost on
-- the way (or a power cut before it was saved) is finished by asking again with the same code and
-- hash; the credential is stored and these cleared when the answer arrives. NULL: none pending.
ALTER TABLE sync_settings ADD COLUMN pending_server_url TEXT;
ALTER TABLE sync_settings ADD COLUMN pending_code TEXT;
ALTER TABLE sync_settings ADD COLUMN pending_secret TEXT;
-- RFC 3339 time the pending enrollment was started.
ALTER TABLE sync_settings ADD COLUMN pending_since TEXT;
