-- Staff badges are signed by the server and numbered: the feed sends the number of each employee's
-- current badge, and only that badge is accepted, so issuing a new badge revokes a lost one. 0: no
-- badge issued yet, and none is accepted. Cached staff of an earlier release get 0 until the feed
-- sends them again; their old unsigned badges are refused anyway.
ALTER TABLE employees ADD COLUMN badge_serial INTEGER NOT NULL DEFAULT 0 CHECK (badge_serial >= 0);
-- The feed sends them again only if the kiosk asks from the start: an earlier release may already
-- have pulled (and dropped) the badge numbers of badges issued since the server was upgraded, and
-- its cursor is past them. A pull from no cursor upserts over the cache; it is not a reset.
UPDATE enrollment SET pull_cursor = NULL;
-- The driver identified at the returns desk is checked again at the handover against the number
-- of the badge that identified them, so a badge revoked in between takes no boxes. A driver
-- identified before this release showed an unsigned badge: they scan their signed one again.
ALTER TABLE counter_state ADD COLUMN driver_badge_serial INTEGER;
UPDATE counter_state SET driver_id = NULL;
