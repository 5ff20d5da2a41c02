-- "Разобрано": the manager has dealt with an op the server rejected for good, so it leaves the
-- "needs attention" list. The op, its state and the server's reason stay as they were; only the time
-- of the acknowledgement is added. A resend after a server restore clears it: a new verdict on the
-- op needs a new look.
ALTER TABLE outbox ADD COLUMN acknowledged_at TEXT;
-- The attention list reads the newest unacknowledged rejections and counts them, on every status
-- publish; this keeps both off the ever-growing rest of the outbox, acknowledged rejections included.
-- (state, seq) rather than (seq) alone, so the planner prefers it to `outbox_by_state`.
CREATE INDEX outbox_needs_attention ON outbox (state, seq) WHERE state = 'rejected' AND acknowledged_at IS NULL;
