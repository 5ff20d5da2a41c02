-- Staff badges are signed by the server and numbered: the feed sends the number of each employee's
-- current badge, and only that badge is accepted, so issuing a new badge revokes a lost one. 0: no
-- badge issued yet, and none is accepted. Cached staff of an earlier release get 0 until the feed
-- sends them again; their old unsigned badges are refused anyway.
ALTER TABLE employees ADD COLUMN badge_serial INTEGER NOT NULL DEFAULT 0 CHECK (badge_serial >= 0);
