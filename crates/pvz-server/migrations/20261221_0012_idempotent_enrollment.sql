-- Enrollment that survives a lost answer. A protocol-4 kiosk makes its device secret itself and
-- sends only its sha256; the code remembers that hash (and, as before, the device it produced), so
-- the same kiosk retrying the same code gets the same answer instead of "code used". A protocol-3
-- kiosk's server-made secret is remembered the same way, though such a kiosk cannot retry.
ALTER TABLE enrollment_codes ADD COLUMN used_secret_sha256 TEXT;

-- `pvz-server device reset-secret`: the operator lets a kiosk that lost its credential continue its
-- device (and seq) with a fresh code without proving the old secret. Cleared by that enrollment.
ALTER TABLE devices ADD COLUMN secret_reset_at TEXT;
