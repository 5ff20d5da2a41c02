-- Enrollment as one step that survives a lost answer, and a feed that never mixes two enrollments.
--
-- `enrollment_generation` moves at every enrollment (which clears the cache and the pull cursor): a
-- pull page fetched under an older generation is dropped instead of applied, so a page asked for
-- with the cursor from before the clear cannot move the cursor past what the cache lost.
ALTER TABLE sync_settings ADD COLUMN enrollment_generation INTEGER NOT NULL DEFAULT 0;
