-- Claims as the marketplace runs them: which code of the claim was scanned (a change of route issues
-- the next one and the earlier are refused), and the server's last word beside the state: the
-- decision, where the item goes (the route) and where it is (its fate), the return deadline and the
-- issue number of the claim's valid code. Drafts from before know none of it: the code was the
-- first, and the server is asked again when the claim is scanned.
ALTER TABLE claim_returns ADD COLUMN code_issue INTEGER NOT NULL DEFAULT 1 CHECK (code_issue >= 1);
ALTER TABLE claim_returns ADD COLUMN server_decision TEXT
    CHECK (server_decision IN ('under_review', 'approved', 'rejected', 'disputed', 'revoked'));
ALTER TABLE claim_returns ADD COLUMN server_item_fate TEXT
    CHECK (server_item_fate IN ('with_buyer', 'to_pickup_point', 'to_seller', 'at_pickup_point', 'at_seller'));
ALTER TABLE claim_returns ADD COLUMN server_route TEXT CHECK (server_route IN ('pickup_point', 'seller', 'no_return'));
ALTER TABLE claim_returns ADD COLUMN server_return_deadline TEXT;
ALTER TABLE claim_returns ADD COLUMN server_code_issue INTEGER CHECK (server_code_issue >= 1);
