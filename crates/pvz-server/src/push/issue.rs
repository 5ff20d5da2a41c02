//! Issue ops (выдача): an opened card and item decisions only need their order and item to exist
//! at this point (a hand-over keeps the Честный ЗНАК mark of the unit, when the counter scanned it); a completed issue needs the order arrived at the point (see
//! `rules::check_issue_completed`), is checked against the server's prices and the point's fee
//! policies, moves the order to issued, records which items were refused or never arrived (an item
//! recorded missing at receiving and still not there: the buyer took the rest), fulfils the claim whose
//! missing part the order carried, and posts its money.

use super::{post, Pusher};
use crate::db::shelf::ItemPlace;
use crate::db::sql::Connection;
use crate::db::{claims, orders, points, shelf};
use crate::error::Result;
use crate::rules::facts::NOT_ARRIVED;
use crate::rules::{self, IssueClaim, Rejection};
use pvz_protocol::sync::PushOp;
use pvz_protocol::{ItemDecision, OpBody};
use std::collections::BTreeSet;

pub(super) fn apply(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<Result<(), Rejection>> {
    let Some(order_id) = op.body.point_order() else {
        return Ok(Err(Rejection::new(pvz_protocol::sync::reject::INVALID_OP, "an issue op names no order")));
    };
    let order = orders::get_order_facts(conn, order_id)?;
    match &op.body {
        OpBody::IssueOpened { .. } => Ok(rules::check_item(order.as_ref(), None)),
        OpBody::ItemDecided { item_id, decision, mark, .. } => {
            let checked = rules::check_item(order.as_ref(), Some(item_id));
            if checked.is_ok() {
                // The last decision stands: only a hand-over keeps the unit's mark.
                let mark = mark.as_deref().filter(|_| *decision == ItemDecision::HandOver);
                orders::set_item_handed_over_mark(conn, item_id, mark)?;
            }
            Ok(checked)
        }
        OpBody::ItemDecisionCleared { item_id, .. } => {
            let checked = rules::check_item(order.as_ref(), Some(item_id));
            if checked.is_ok() {
                orders::set_item_handed_over_mark(conn, item_id, None)?;
            }
            Ok(checked)
        }
        OpBody::DefectPhotoAttached { item_id, .. } => Ok(rules::check_item(order.as_ref(), Some(item_id))),
        OpBody::IssueCompleted { order_id, handed_over, refused, collected, refunded, payment_taken, not_arrived } => {
            let claim = IssueClaim {
                handed_over,
                refused,
                not_arrived,
                collected: *collected,
                refunded: *refunded,
                payment_taken: *payment_taken,
            };
            let checked = match rules::require_order(order) {
                Ok(order) => {
                    let arrived_at = shelf::get_arrived(conn, order_id)?;
                    let places = shelf::list_item_places(conn, order_id)?;
                    // An order with every item missing arrives only by the network's word that its
                    // goods were found (`pvz-server order-arrived`): then none of them is missing.
                    let found = places.iter().all(|(_, place)| *place == ItemPlace::Missing);
                    let missing: BTreeSet<&str> = places
                        .iter()
                        .filter(|(_, place)| *place == ItemPlace::Missing && !found)
                        .map(|(item, _)| item.as_str())
                        .collect();
                    let policies = points::list_fee_policies(conn, &who.pickup_point_id)?;
                    rules::check_issue_completed(&order, arrived_at.as_deref(), &missing, &policies, &claim)
                }
                Err(rejection) => Err(rejection),
            };
            let postings = match checked {
                Ok(postings) => postings,
                Err(rejection) => {
                    // The counter may already hold the buyer's cash (say, the order was cancelled
                    // while the kiosk was offline): record it as held at the point, keyed by the op id
                    // like any money effect, so it is posted once and shows until reconciled.
                    let held = rules::unreconciled_cash(who.pickup_point_id.as_str(), *collected, *payment_taken);
                    post(conn, who, op, rules::KIND_UNRECONCILED_CASH, &held)?;
                    return Ok(Err(rejection));
                }
            };
            // The rules passed it ready; another instance may have issued or cancelled it since.
            let (ready, issued) = (orders::OrderState::Ready, orders::OrderState::Issued);
            orders::set_order_state(conn, &who.pickup_point_id, order_id, ready, issued, Some(&op.created_at))?;
            for refusal in refused.iter() {
                orders::set_item_refused(conn, &refusal.item_id, refusal.reason.as_str())?;
            }
            // Not handed over either: nothing to claim on it later.
            for item in not_arrived.iter() {
                orders::set_item_refused(conn, item, NOT_ARRIVED)?;
            }
            // A missing part reached the buyer: its claim is fulfilled (see `crate::claims`).
            let op_id = op.op_id.to_string();
            claims::set_part_claim_fulfilled(conn, order_id, &op_id, &who.pickup_point_id, &op.created_at)?;
            post(conn, who, op, op.body.kind(), &postings)?;
            Ok(Ok(()))
        }
        // Dispatched elsewhere by `super::apply`.
        _ => Ok(Err(Rejection::new(pvz_protocol::sync::reject::INVALID_OP, "not an issue op"))),
    }
}
