-- The shelves are read on every view (the morning count of items past their period): orders still
-- waiting, and returned units by item and (unredeemed) by order, are looked up by index rather than
-- by scanning a cache that holds every order ever issued here.
CREATE INDEX orders_waiting ON orders (order_id) WHERE server_status <> 'issued';
CREATE INDEX return_items_by_item ON return_items (item_id);
CREATE INDEX return_items_unredeemed ON return_items (order_id) WHERE source = 'unredeemed';
