-- The claim service as the marketplace runs it: who decides (the operator within 14 days of
-- payment, the seller after), the decision and the item's fate as two fields, return routes (through
-- a pickup point, to the seller directly, no return), disputes, the seller's receipt, the return
-- deadline and the code issue a route change moves on; when a prepaid order was paid; API
-- credentials of the buyer front and the operator; each device's clock offset; and ledger
-- transactions keyed by the event that caused them, with or without a pickup point.

-- Payment time of prepaid items (the 14-day line counts from it); items paid at the counter count
-- from the order's issue time. Orders added before this release count from their creation.
ALTER TABLE orders ADD COLUMN paid_at TEXT;

ALTER TABLE claims ADD COLUMN decided_by TEXT NOT NULL DEFAULT 'seller' CHECK (decided_by IN ('operator', 'seller'));
ALTER TABLE claims ADD COLUMN decision TEXT NOT NULL DEFAULT 'under_review'
    CHECK (decision IN ('under_review', 'approved', 'rejected', 'disputed', 'revoked'));
ALTER TABLE claims ADD COLUMN item_fate TEXT NOT NULL DEFAULT 'with_buyer'
    CHECK (item_fate IN ('with_buyer', 'to_pickup_point', 'to_seller', 'at_pickup_point', 'at_seller'));
ALTER TABLE claims ADD COLUMN route TEXT CHECK (route IN ('pickup_point', 'seller', 'no_return'));
ALTER TABLE claims ADD COLUMN paid_at TEXT;
ALTER TABLE claims ADD COLUMN rejection_template TEXT;
ALTER TABLE claims ADD COLUMN seller_address TEXT;
ALTER TABLE claims ADD COLUMN seller_hours TEXT;
-- The last moment the item is taken back through a pickup point (RFC 3339).
ALTER TABLE claims ADD COLUMN return_deadline TEXT;
-- Which return code is valid: a route change issues the next.
ALTER TABLE claims ADD COLUMN code_issue BIGINT NOT NULL DEFAULT 1;
-- A buyer disputes a rejection once: when, in their words, and when the operator decided it.
ALTER TABLE claims ADD COLUMN disputed_at TEXT;
ALTER TABLE claims ADD COLUMN dispute_comment TEXT;
ALTER TABLE claims ADD COLUMN dispute_decided_at TEXT;
-- The seller confirmed receipt of an item sent to it, or refused the claim on receipt.
ALTER TABLE claims ADD COLUMN received_at TEXT;
CREATE INDEX claims_by_buyer ON claims (buyer_id, created_at);
CREATE INDEX claims_by_decision ON claims (decided_by, decision, created_at);

-- Claims from before this release: every one was the seller's, through a pickup point.
UPDATE claims SET decision = CASE state
    WHEN 'open' THEN 'under_review' WHEN 'rejected' THEN 'rejected' WHEN 'revoked' THEN 'revoked' ELSE 'approved' END;
UPDATE claims SET route = CASE WHEN compensation LIKE '%missing_part%' THEN 'no_return' ELSE 'pickup_point' END
    WHERE compensation IS NOT NULL;
UPDATE claims SET item_fate = CASE
    WHEN fulfilled_op_id IS NOT NULL AND route = 'pickup_point' THEN 'at_pickup_point'
    WHEN state = 'approved' AND route = 'pickup_point' THEN 'to_pickup_point'
    ELSE 'with_buyer' END;

-- API credentials of parties other than sellers and devices: `buyer_front` (the marketplace's buyer
-- side, `pvzb1.`) and `operator` (the network operator's staff, `pvzo1.`). Only the sha256 is kept.
CREATE TABLE api_credentials (
    kind          TEXT NOT NULL CHECK (kind IN ('buyer_front', 'operator')),
    principal     TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (kind, principal)
);

-- The device's clock against the server's at its last push: server time minus kiosk time.
ALTER TABLE devices ADD COLUMN clock_offset_seconds BIGINT;
ALTER TABLE devices ADD COLUMN clock_checked_at TEXT;

-- Ledger transactions get a unique event key (`op:<op id>` for a counter op, `claim:<id>:<event>`
-- for a claim's decision or the seller's receipt); such a transaction has no op and may have no
-- pickup point. SQLite cannot relax NOT NULL in place, so the table is rebuilt; its entries are
-- rebuilt with it (set aside first), since dropping a parent table that has child rows fails the
-- foreign key check at commit.
CREATE TABLE ledger_entries_kept AS SELECT transaction_id, line, account, amount FROM ledger_entries;
DROP TABLE ledger_entries;
CREATE TABLE ledger_transactions_next (
    id              TEXT PRIMARY KEY,
    op_id           TEXT UNIQUE,
    event_key       TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    pickup_point_id TEXT REFERENCES pickup_points (id),
    created_at      TEXT NOT NULL
);
INSERT INTO ledger_transactions_next (id, op_id, event_key, kind, pickup_point_id, created_at)
    SELECT id, op_id, 'op:' || op_id, kind, pickup_point_id, created_at FROM ledger_transactions;
DROP TABLE ledger_transactions;
ALTER TABLE ledger_transactions_next RENAME TO ledger_transactions;
CREATE INDEX ledger_transactions_by_point ON ledger_transactions (pickup_point_id, created_at);
CREATE TABLE ledger_entries (
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions (id),
    line           BIGINT NOT NULL,
    account        TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, line)
);
INSERT INTO ledger_entries (transaction_id, line, account, amount)
    SELECT transaction_id, line, account, amount FROM ledger_entries_kept;
DROP TABLE ledger_entries_kept;
CREATE INDEX ledger_entries_by_account ON ledger_entries (account);
