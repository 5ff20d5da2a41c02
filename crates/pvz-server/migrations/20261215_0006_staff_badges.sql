-- Staff badges are signed by the server (`PVZE2.`) and numbered per employee: `pvz-server badge`
-- issues the next number, and the feed sends the current one, so the point's kiosks accept that
-- badge alone (a lost badge is revoked by issuing a new one). 0: no badge issued yet, and none is
-- accepted. Employees of earlier releases start at 0, as the kiosks cache them: their unsigned
-- badges (`PVZE1:`) are refused anyway, and each gets a badge issued.
ALTER TABLE employees ADD COLUMN badge_serial BIGINT NOT NULL DEFAULT 0 CHECK (badge_serial >= 0);
