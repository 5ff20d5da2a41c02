-- Staff login, once switched on, stays on. It was derived from the employee cache holding an active
-- manager with a PIN, so a reset page without employees (each page is its own transaction), or the
-- point's only manager retired, switched login off. The flag is the kiosk's own record, not cache:
-- a pull reset and an enrollment leave it. Set when a manager who can log in is first cached.
CREATE TABLE staff_login (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1))
);
-- A kiosk upgraded with login in use keeps it: a manager who can log in is cached, someone is logged
-- in, or an op or a shift names a manager (the cache may be mid-reset at the upgrade).
INSERT INTO staff_login (singleton, enabled)
SELECT 1, EXISTS (SELECT 1 FROM employees WHERE role = 'manager' AND retired = 0 AND pin_hash IS NOT NULL)
       OR EXISTS (SELECT 1 FROM staff_session)
       OR EXISTS (SELECT 1 FROM outbox WHERE operator IS NOT NULL)
       OR EXISTS (SELECT 1 FROM shifts WHERE opened_by IS NOT NULL);
