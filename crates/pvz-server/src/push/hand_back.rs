//! `CourierHandBackCompleted` (приём отказов от курьера): the items a courier of this point handed
//! back, matched to the open lines of the courier's manifest. Every unit is recorded at the point
//! first (it is physically here, whatever the op's fate); then the courier must be this point's,
//! each accepted item's fee the policy's, and the hand-back is recorded with its discrepancies:
//! matched lines close, missing ones stay open. Money: a buyer-side fee from the buyer to the
//! network, a prepaid item's price back from its seller to the buyer, in the op's ledger transaction.

use super::{op_ref, post, Pusher};
use crate::db::custody::{self, Holder, NewUnit};
use crate::db::employees;
use crate::db::hand_backs::{self, HandBackLine, LineOutcome, NewHandBack};
use crate::db::sql::Connection;
use crate::db::{manifests, orders, points};
use crate::error::Result;
use crate::rules::hand_back::{check_hand_back, match_items};
use crate::rules::Rejection;
use pvz_domain::{EmployeeId, Kopecks};
use pvz_protocol::sync::{reject, PushOp};
use pvz_protocol::{EmployeeRole, HandBackItem, ReturnSource};

/// What the op says.
#[derive(Debug, Clone)]
pub(super) struct HandBack<'a> {
    pub hand_back_id: &'a str,
    pub courier_id: &'a EmployeeId,
    pub accepted_by: &'a str,
    pub items: &'a [HandBackItem],
}

pub(super) fn apply(conn: &Connection, who: &Pusher, op: &PushOp, hb: &HandBack<'_>) -> Result<Result<(), Rejection>> {
    let point = &who.pickup_point_id;
    let courier = employees::get_employee(conn, hb.courier_id)?.filter(|c| c.is_active(point, EmployeeRole::Courier));
    let lines = match &courier {
        Some(_) => manifests::list_open_lines(conn, point, hb.courier_id)?,
        None => Vec::new(),
    };
    let matching = match_items(&lines, hb.items);
    let matched_item = |i: usize| {
        let line = matching.accepted.iter().find(|(item, _)| *item == i).map(|(_, l)| &lines[*l].line.item_id);
        line.or(hb.items[i].item_id.as_ref())
    };
    let op_id = op.op_id.to_string();
    for (i, item) in hb.items.iter().enumerate() {
        let unit = NewUnit {
            id: &item.return_id,
            pickup_point_id: point,
            item_id: matched_item(i).map(|id| id.as_str()),
            source: ReturnSource::Courier,
        };
        custody::insert_unit(conn, &unit, &Holder::Point, op_ref(op, &op_id))?;
    }

    if courier.is_none() {
        return Ok(Err(Rejection::new(
            reject::UNKNOWN_EMPLOYEE,
            format!("{} is not a courier of this pickup point (unknown, retired or another point's)", hb.courier_id),
        )));
    }
    if hb.hand_back_id.trim().is_empty() || hand_backs::hand_back_exists(conn, hb.hand_back_id)? {
        return Ok(Err(Rejection::new(
            reject::INVALID_OP,
            format!("hand-back {:?} is empty or was recorded before; each hand-back needs its own id", hb.hand_back_id),
        )));
    }
    let policies = points::list_fee_policies(conn, point)?;
    let money = match check_hand_back(&lines, hb.items, &matching, &policies) {
        Ok(money) => money,
        Err(rejection) => return Ok(Err(rejection)),
    };

    let scanned = |i: usize, outcome: LineOutcome| {
        let item = &hb.items[i];
        HandBackLine {
            outcome,
            return_id: Some(item.return_id.to_string()),
            item_id: matched_item(i).map(ToString::to_string),
            code: Some(item.code.clone()),
            reason: Some(item.reason.as_str().to_owned()),
            description: item.description.clone(),
            // What the ledger charged, not the counter's figure (a guess offline; anything on an extra).
            fee: money.fees[i],
        }
    };
    let mut record: Vec<HandBackLine> =
        matching.accepted.iter().map(|(i, _)| scanned(*i, LineOutcome::Accepted)).collect();
    record.extend(matching.extras.iter().map(|i| scanned(*i, LineOutcome::Extra)));
    record.extend(matching.missing.iter().map(|l| HandBackLine {
        outcome: LineOutcome::Missing,
        return_id: None,
        item_id: Some(lines[*l].line.item_id.to_string()),
        code: lines[*l].line.barcode.clone(),
        reason: None,
        description: None,
        fee: Kopecks::ZERO,
    }));
    let new = NewHandBack {
        id: hb.hand_back_id,
        op_id: &op_id,
        pickup_point_id: point,
        courier_id: hb.courier_id,
        accepted_by: hb.accepted_by,
    };
    hand_backs::insert_hand_back(conn, &new, &record, &op.created_at)?;
    for &(i, l) in &matching.accepted {
        let item_id = &lines[l].line.item_id;
        manifests::close_line(conn, item_id, hb.hand_back_id, &op.created_at)?;
        orders::set_item_refused(conn, item_id, hb.items[i].reason.as_str())?;
    }
    post(conn, who, op, op.body.kind(), &money.postings)?;
    Ok(Ok(()))
}
