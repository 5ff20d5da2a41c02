-- Orders the network cancelled (a `cancel_order` change in the pull feed). A flag on the cached row,
-- not a server_status value: the CHECK on server_status cannot change without rebuilding the table,
-- and an upsert of the order clears the flag, since the feed sends only an order's latest state.
ALTER TABLE orders ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
