-- Честный ЗНАК: the whole marking code (serial and crypto tail, GS-separated) of the unit a counter
-- handed over, from the item decision op that handed it over, so the sale of a marked item can be
-- reported with its code. NULL: not handed over, or handed over without its mark scanned (a later
-- decision or a decision taken back clears it).
ALTER TABLE order_items ADD COLUMN handed_over_mark TEXT;
