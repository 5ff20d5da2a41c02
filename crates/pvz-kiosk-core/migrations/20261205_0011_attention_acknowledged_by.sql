-- Who marked a rejected op resolved ("Разобрано"): the manager on duty, since acknowledging is
-- counter work behind the staff login. NULL where login is not required, and for acknowledgements
-- made before this migration.
ALTER TABLE outbox ADD COLUMN acknowledged_by TEXT;
