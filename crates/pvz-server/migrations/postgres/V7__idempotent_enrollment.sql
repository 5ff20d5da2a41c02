-- PostgreSQL twin of SQLite's 0012.
-- Enrollment that survives a lost answer: the code remembers the secret hash it was used with (a
-- retry with the same code and hash gets the same answer), and an operator's secret reset lets a
-- device be continued with a fresh code without the old secret.
ALTER TABLE enrollment_codes ADD COLUMN used_secret_sha256 TEXT;
ALTER TABLE devices ADD COLUMN secret_reset_at TEXT;
