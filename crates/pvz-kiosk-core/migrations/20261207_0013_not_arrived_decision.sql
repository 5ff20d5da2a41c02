-- An item recorded missing when its shipment was received may be decided 'not_arrived' at the
-- counter: the buyer takes the rest of the order, and this item is neither handed over nor paid
-- for. SQLite cannot change a CHECK in place, so the table is rebuilt with the same rows.
CREATE TABLE item_decisions_new (
    item_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('hand_over', 'refuse', 'not_arrived')),
    refusal_reason TEXT CHECK (refusal_reason IN ('defect', 'did_not_fit', 'changed_mind', 'wrong_item', 'incomplete')),
    refusal_description TEXT,
    -- The fee fixed when the refusal was recorded: a later policy change does not alter it.
    fee_kopecks INTEGER CHECK (fee_kopecks >= 0),
    fee_rule TEXT CHECK (fee_rule IN ('defect_free', 'seller_fault_free', 'policy_fee', 'no_fee_in_policy')),
    decided_at TEXT NOT NULL,
    CHECK ((decision = 'refuse') = (refusal_reason IS NOT NULL)),
    CHECK ((decision = 'refuse') = (fee_rule IS NOT NULL AND fee_kopecks IS NOT NULL))
);
INSERT INTO item_decisions_new (item_id, order_id, decision, refusal_reason, refusal_description, fee_kopecks,
        fee_rule, decided_at)
    SELECT item_id, order_id, decision, refusal_reason, refusal_description, fee_kopecks, fee_rule, decided_at
    FROM item_decisions;
DROP TABLE item_decisions;
ALTER TABLE item_decisions_new RENAME TO item_decisions;
CREATE INDEX item_decisions_by_order ON item_decisions (order_id);

-- Which items the receiving of a shipment recorded missing, as the feed now says (whichever
-- counter of the point received it), so every counter leaves them out of their orders' issues.
ALTER TABLE shipment_items ADD COLUMN missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1));
-- Shipments received before this release are sent again with it: the next pull asks from the
-- start (upserts over the cache, not a reset).
UPDATE enrollment SET pull_cursor = NULL;
