//! `pvz-server shifts` and `ops`: what a point's kiosks recorded, for people: shifts with their
//! report figures, and ops with their operator, device and outcome.

use crate::admin::Admin;
use crate::error::Result;
use pvz_domain::RefusalReason;

/// The point's shifts, the latest first, each with its figures once closed.
pub fn shifts_text(admin: &Admin, point: &str) -> Result<String> {
    let mut out = String::new();
    for s in admin.shifts(point)? {
        let by = |who: &Option<String>| who.clone().unwrap_or_else(|| "(no operator)".to_owned());
        out.push_str(&format!("{} on {}: opened {} by {}", s.id, s.device_id, s.opened_at, by(&s.opened_by)));
        match (&s.closed_at, &s.report) {
            (Some(at), Some(r)) => {
                out.push_str(&format!(", closed {at} by {}\n", by(&s.closed_by)));
                out.push_str(&format!(
                    "  issued {} orders ({} items, {} not arrived), refused {} items, money taken {}, fees {}, refunds {}\n",
                    r.orders_issued,
                    r.items_handed_over,
                    r.items_not_arrived,
                    r.items_refused,
                    r.money_taken,
                    r.fees,
                    r.refunds
                ));
                out.push_str(&format!(
                    "  claim returns {} ({}), courier hand-backs {} ({} items), boxes handed over {} ({} items), \
                     unredeemed to returns {}\n",
                    r.claim_returns,
                    r.claim_refunds,
                    r.courier_hand_backs,
                    r.courier_items,
                    r.boxes_handed_over,
                    r.box_items,
                    r.unredeemed_to_returns
                ));
                let refusals: Vec<String> = RefusalReason::ALL
                    .into_iter()
                    .map(|reason| r.refusals_for(reason))
                    .filter(|c| c.at_counter + c.from_couriers > 0)
                    .map(|c| format!("{} {}+{}", c.reason.as_str(), c.at_counter, c.from_couriers))
                    .collect();
                if !refusals.is_empty() {
                    out.push_str(&format!("  refusals (counter+couriers): {}\n", refusals.join(", ")));
                }
            }
            _ => out.push_str(", still open\n"),
        }
    }
    if out.is_empty() {
        out.push_str(&format!("no shifts at {point}\n"));
    }
    Ok(out)
}

/// The point's latest ops: when, which device and seq, what, who, and the outcome.
pub fn ops_text(admin: &Admin, point: &str, limit: u32) -> Result<String> {
    let mut out = String::new();
    for op in admin.ops(point, limit)? {
        let outcome = match (&op.reject_code, &op.reject_message) {
            (Some(code), Some(message)) => format!("rejected {code}: {message}"),
            _ => op.status.clone(),
        };
        out.push_str(&format!(
            "{}  {} #{}  {}  by {}  {}  ({})\n",
            op.created_at,
            op.device_id,
            op.seq,
            op.kind,
            op.operator.as_deref().unwrap_or("-"),
            outcome,
            op.op_id
        ));
    }
    if out.is_empty() {
        out.push_str(&format!("no ops from {point}'s kiosks\n"));
    }
    Ok(out)
}
