-- Every enrollment of a device, append-only: when it got a credential, whether it was a new device or
-- one continued by a kiosk that proved it held the previous credential, and the revocation that
-- continuing cleared (NULL when the device was not revoked). `devices.revoked_at` is reset on
-- continuing, so this is where an admin sees that a revoked device came back.
CREATE TABLE device_enrollments (
    device_id       TEXT NOT NULL REFERENCES devices (id),
    enrollment_no   BIGINT NOT NULL CHECK (enrollment_no >= 1),
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    device_name     TEXT NOT NULL,
    continued       BIGINT NOT NULL CHECK (continued IN (0, 1)),
    cleared_revoked_at TEXT,
    enrolled_at     TEXT NOT NULL,
    PRIMARY KEY (device_id, enrollment_no)
);

-- Devices enrolled before this table: their first enrollment is their creation.
INSERT INTO device_enrollments (device_id, enrollment_no, pickup_point_id, device_name, continued, cleared_revoked_at, enrolled_at)
SELECT id, 1, pickup_point_id, name, 0, NULL, created_at FROM devices;
