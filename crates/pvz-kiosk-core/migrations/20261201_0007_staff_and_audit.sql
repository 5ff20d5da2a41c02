-- Staff login, shifts, the operator of every op, and the scan log the audit trail reads (issue 5).

-- Server-owned cache ------------------------------------------------------------------------------
-- A manager's PIN as the argon2 PHC string the server sent, checked at login even offline.
ALTER TABLE employees ADD COLUMN pin_hash TEXT;

-- The kiosk's own records --------------------------------------------------------------------------
-- Wrong PINs per employee on this device (the domain's PinAttempts). Not a cache: a lockout survives
-- a restart and a pull reset. `locked_until` is unix seconds.
CREATE TABLE pin_attempts (
    employee_id TEXT PRIMARY KEY,
    wrong_in_a_row INTEGER NOT NULL DEFAULT 0 CHECK (wrong_in_a_row >= 0),
    lockouts INTEGER NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    locked_until INTEGER
);

-- The manager working the counter (at most one row). Idle lock is derived from `last_activity`
-- (unix seconds) and the clock; logging out deletes the row.
CREATE TABLE staff_session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    manager_id TEXT NOT NULL,
    logged_in_at TEXT NOT NULL,
    last_activity INTEGER NOT NULL
);

-- Смены of this device. The ops of a shift are those with `seq` from `opened_seq` (its ShiftOpened)
-- up to `closed_seq` (its ShiftClosed); the report is fixed at closing. Who opened and closed it is
-- NULL on a counter that works without login.
CREATE TABLE shifts (
    shift_id TEXT PRIMARY KEY,
    opened_by TEXT,
    opened_at TEXT NOT NULL,
    opened_seq INTEGER NOT NULL,
    closed_by TEXT,
    closed_at TEXT,
    closed_seq INTEGER,
    report TEXT,
    -- The closed shift's report stays on the counter until the manager dismisses it.
    report_dismissed INTEGER NOT NULL DEFAULT 0 CHECK (report_dismissed IN (0, 1)),
    CHECK ((closed_at IS NULL) = (closed_seq IS NULL) AND (closed_at IS NULL) = (report IS NULL)),
    CHECK (closed_at IS NOT NULL OR closed_by IS NULL)
);
-- One open shift per device.
CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL;

-- Who did it: the manager on duty when the op was written (NULL where login is not required, and
-- for ops written before this migration).
ALTER TABLE outbox ADD COLUMN operator TEXT;

-- Every scan or typed code the counter received, refused ones too: the normalized text, what it was
-- classified as, who was on duty, and what it matched (or the error kind that refused it).
CREATE TABLE scan_log (
    scan_id INTEGER PRIMARY KEY AUTOINCREMENT,
    scanned_at TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    operator TEXT,
    outcome TEXT NOT NULL,
    item_id TEXT,
    return_id TEXT,
    order_id TEXT
);
CREATE INDEX scan_log_by_item ON scan_log (item_id) WHERE item_id IS NOT NULL;
CREATE INDEX scan_log_by_text ON scan_log (text);
