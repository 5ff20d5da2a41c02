-- Marks a database carries for the server that starts on it. `restored_from_backup`: the database is
-- a copy from before some changes its kiosks already pulled, so every point's feed needs a new epoch
-- (set by `pvz-server backup` on its copy, or by `pvz-server restored` after a PostgreSQL restore;
-- consumed once, by whichever server or `migrate` sees it first).
CREATE TABLE server_marks (
    name    TEXT PRIMARY KEY,
    set_at  TEXT NOT NULL
);
