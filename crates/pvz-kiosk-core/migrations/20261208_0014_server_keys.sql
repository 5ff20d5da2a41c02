-- The network's signing keys this kiosk trusts besides the one it pinned at enrollment: each came in
-- the feed endorsed, link by link, by `anchor` (the pinned key it was checked from). A key counts
-- only while `anchor` is still the pinned key, so enrolling with another network trusts none of them.
CREATE TABLE server_keys (
    public_key TEXT PRIMARY KEY,
    anchor TEXT NOT NULL
);
