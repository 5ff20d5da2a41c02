//! `ShipmentReceived` (приёмка): a shipment this point expects, received once. Everything is checked
//! before anything is written: the shipment must be this point's and not received yet, and every
//! placed, missing or damaged item must be one the shipment brings (of the order it names), listed
//! once, and a placed item's cell a valid label. Then placed items take their cells (canonical form)
//! and their orders arrive (the op's time, RFC 3339: the storage period counts from it) and reach the
//! point's kiosks again; missing, unexpected and damaged items are recorded as discrepancies with the
//! op id; and the shipment is marked received (in the feed too). An expected item the op does not
//! mention at all is recorded as missing: receiving is closed, and nobody saw it arrive.
//!
//! A damaged item arrived: it is at the point, only not in a cell. So its order arrives like one with
//! a placed item, even when every item of it arrived damaged; otherwise such an order would wait
//! forever with its goods at the point. Its storage period counts, the buyer can collect it (and
//! refuse a damaged item as a defect, free of any fee), and when the period is over it leaves the
//! shelf with its damaged items (`ShelfExpired` accepts them). An order none of whose items arrived
//! (all missing) does not arrive.

use super::{op_time, Pusher};
use crate::db::shelf;
use crate::db::shipments::{self, Discrepancy, ItemOutcome};
use crate::db::sql::Connection;
use crate::error::Result;
use crate::rules::Rejection;
use pvz_domain::{CellLabel, ItemId, OrderId};
use pvz_protocol::sync::{reject, PushOp};
use pvz_protocol::{DamagedItem, PlacedItem};
use std::collections::{BTreeMap, BTreeSet};

/// What the op says.
#[derive(Debug, Clone, Copy)]
pub(super) struct Receiving<'a> {
    pub shipment_id: &'a str,
    pub placed: &'a [PlacedItem],
    pub missing: &'a [ItemId],
    pub unexpected: &'a [String],
    pub damaged: &'a [DamagedItem],
}

fn rejected(code: &'static str, message: String) -> Result<Result<(), Rejection>> {
    Ok(Err(Rejection::new(code, message)))
}

pub(super) fn apply(conn: &Connection, who: &Pusher, op: &PushOp, r: &Receiving<'_>) -> Result<Result<(), Rejection>> {
    let point = &who.pickup_point_id;
    let shipment = shipments::get_shipment(conn, r.shipment_id)?.filter(|s| s.pickup_point_id == point.as_str());
    let Some(shipment) = shipment else {
        return rejected(
            reject::UNKNOWN_SHIPMENT,
            format!("shipment {:?} is not expected at this pickup point (unknown, or another point's)", r.shipment_id),
        );
    };
    if let (Some(op_id), Some(at)) = (&shipment.received_op_id, &shipment.received_at) {
        return rejected(
            reject::SHIPMENT_ALREADY_RECEIVED,
            format!("shipment {} was received already ({at}, op {op_id}); receive it once", shipment.id),
        );
    }
    let expected: BTreeMap<&ItemId, &OrderId> = shipment.items.iter().map(|i| (&i.item_id, &i.order_id)).collect();
    let named = r
        .placed
        .iter()
        .map(|p| (&p.item_id, Some(&p.order_id)))
        .chain(r.missing.iter().map(|i| (i, None)))
        .chain(r.damaged.iter().map(|d| (&d.item_id, Some(&d.order_id))));
    let mut seen = BTreeSet::new();
    for (item, order) in named {
        match expected.get(item) {
            None => {
                return rejected(
                    reject::ITEM_NOT_IN_SHIPMENT,
                    format!("item {item} is not in shipment {}", shipment.id),
                )
            }
            Some(of) if order.is_some_and(|o| o != *of) => {
                let order = order.map(ToString::to_string).unwrap_or_default();
                return rejected(
                    reject::ITEM_NOT_IN_SHIPMENT,
                    format!("item {item} of shipment {} belongs to order {of}, not {order}", shipment.id),
                );
            }
            Some(_) => {}
        }
        if !seen.insert(item) {
            return rejected(
                reject::INVALID_OP,
                format!("item {item} is listed twice (placed, missing or damaged: one of them)"),
            );
        }
    }
    let mut cells = Vec::with_capacity(r.placed.len());
    for placed in r.placed {
        match CellLabel::parse(&placed.cell) {
            Ok(cell) => cells.push(cell),
            Err(e) => return rejected(reject::INVALID_OP, format!("item {}: {e}", placed.item_id)),
        }
    }

    let (op_id, at) = (op.op_id.to_string(), op_time(op));
    let mut arrived = BTreeSet::new();
    let mut outcomes = Vec::with_capacity(expected.len());
    for (placed, cell) in r.placed.iter().zip(&cells) {
        shelf::set_item_cell(conn, &placed.item_id, cell)?;
        arrived.insert(&placed.order_id);
        outcomes.push((&placed.item_id, ItemOutcome::Placed, Some(cell.to_string())));
    }
    // A damaged item is at the point, in no cell: its order arrives all the same.
    arrived.extend(r.damaged.iter().map(|d| &d.order_id));
    for order in arrived {
        shelf::set_arrived(conn, order, &at)?;
        shelf::touch_order(conn, point, order)?;
    }
    let unmentioned: Vec<&ItemId> = shipment.items.iter().map(|i| &i.item_id).filter(|i| !seen.contains(i)).collect();
    let mut lines = Vec::new();
    for item in r.missing.iter().chain(unmentioned) {
        lines.push(Discrepancy {
            op_id: op_id.clone(),
            kind: "missing".into(),
            order_id: expected.get(item).map(ToString::to_string),
            item_id: Some(item.to_string()),
            code: None,
            description: None,
            photos: None,
        });
        outcomes.push((item, ItemOutcome::Missing, None));
    }
    for code in r.unexpected {
        lines.push(Discrepancy {
            op_id: op_id.clone(),
            kind: "unexpected".into(),
            order_id: None,
            item_id: None,
            code: Some(code.clone()),
            description: None,
            photos: None,
        });
    }
    for damaged in r.damaged {
        lines.push(Discrepancy {
            op_id: op_id.clone(),
            kind: "damaged".into(),
            order_id: Some(damaged.order_id.to_string()),
            item_id: Some(damaged.item_id.to_string()),
            code: None,
            description: Some(damaged.description.clone()),
            photos: Some(serde_json::to_string(&damaged.photos)?),
        });
        outcomes.push((&damaged.item_id, ItemOutcome::Damaged, None));
    }
    shipments::insert_discrepancies(conn, &shipment.id, &lines)?;
    let operator = op.operator.as_ref().map(|o| o.as_str());
    shipments::set_received(conn, point, &shipment.id, &op_id, &at, operator, &outcomes)?;
    Ok(Ok(()))
}
