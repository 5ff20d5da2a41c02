-- Every fee policy a pickup point has had, append-only. A kiosk fixes a refusal's fee when the
-- refusal is recorded, possibly offline and before a policy change reaches it, so the server accepts
-- a fee that matches the point's current policy or any earlier one, and nothing else.
CREATE TABLE fee_policy_history (
    pickup_point_id TEXT NOT NULL REFERENCES pickup_points (id),
    policy_version  BIGINT NOT NULL,
    fee_policy      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (pickup_point_id, policy_version)
);

-- Points created before this table: their current policy is the first entry of their history.
INSERT INTO fee_policy_history (pickup_point_id, policy_version, fee_policy, created_at)
SELECT id, policy_version, fee_policy, created_at FROM pickup_points;
