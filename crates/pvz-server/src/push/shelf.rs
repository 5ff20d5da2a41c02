//! What happens to items on the shelf after receiving: `ItemMoved` (перемещение) and `ShelfExpired`
//! (невостребованные: past the storage period, moved to returns). Everything is checked before
//! anything is written.
//!
//! A move needs the item in a ready order of this point and currently in `from`; both cells must be
//! valid labels (stored in canonical form). The server does not check `to` against the point's cell
//! list or its capacity: the item is already there, and a cell list changed meanwhile must not lose it.
//!
//! Expiry moves whole orders: an order is issued whole (every item decided), so it leaves the shelf
//! whole, and the op must list every item of each order it names that is on the shelf (placed at
//! receiving, or added straight to the shelf). It may list an item that arrived damaged (at the
//! point, in no cell: it goes back with its order), never one recorded missing at receiving or not
//! received yet: nobody can hand that to a driver. Each order must be this point's, have arrived and
//! not be issued, and each return label must be new. The order is then cancelled as unredeemed (its
//! kiosks get `CancelOrder`; an order the network had cancelled already stays as it is) and each
//! listed item becomes a returned unit held at the point (source `unredeemed`), logged with the op,
//! ready to be boxed and handed to a driver. The server does not re-check the storage period: the
//! kiosk lists items by the point's policy and a manager confirms what is physically moved.
//!
//! Money: none moves. A prepaid unredeemed order is not refunded automatically: the goods are still
//! the network's to return to the seller, and a refund posted on the counter's word could not be
//! undone if the item turned out collected after all. The cancellation records why
//! (`cancel_reason = 'unredeemed'`) and by which op, so the refund can be decided from that record.

use super::{op_ref, Pusher};
use crate::db::custody::{self, Holder, NewUnit};
use crate::db::orders::{self, OrderState};
use crate::db::shelf::{self, ItemPlace};
use crate::db::sql::Connection;
use crate::error::Result;
use crate::rules::Rejection;
use pvz_domain::{CellLabel, ItemId, OrderId};
use pvz_protocol::sync::{reject, PushOp};
use pvz_protocol::{ExpiredItem, ReturnSource};
use std::collections::{BTreeMap, BTreeSet};

fn rejected(code: &'static str, message: String) -> Result<Result<(), Rejection>> {
    Ok(Err(Rejection::new(code, message)))
}

fn closed(state: OrderState, order: &OrderId) -> Option<String> {
    match state {
        OrderState::Ready => None,
        OrderState::Issued => Some(format!("order {order} was issued")),
        OrderState::Cancelled => Some(format!("order {order} was cancelled")),
    }
}

/// What an `ItemMoved` says.
#[derive(Debug, Clone, Copy)]
pub(super) struct Move<'a> {
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub from: &'a str,
    pub to: &'a str,
}

pub(super) fn apply_moved(conn: &Connection, who: &Pusher, m: &Move<'_>) -> Result<Result<(), Rejection>> {
    let Some(row) = orders::get_item(conn, m.item_id)?.filter(|r| &r.order_id == m.order_id) else {
        let code = match orders::order_point(conn, m.order_id)? {
            Some(_) => reject::ITEM_NOT_IN_ORDER,
            None => reject::ORDER_NOT_FOUND,
        };
        return rejected(code, format!("item {} is not in order {}", m.item_id, m.order_id));
    };
    if let Some(why) = closed(row.order_state, m.order_id) {
        return rejected(reject::ORDER_CLOSED, format!("{why}; its items are no longer moved between cells"));
    }
    let (from, to) = match (CellLabel::parse(m.from), CellLabel::parse(m.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return rejected(reject::INVALID_OP, format!("item {}: {e}", m.item_id)),
    };
    if from == to {
        return rejected(reject::INVALID_OP, format!("item {} is moved from {from} to the same cell", m.item_id));
    }
    if CellLabel::parse(&row.item.cell).ok().as_ref() != Some(&from) {
        let now = if row.item.cell.is_empty() { "in no cell yet".to_owned() } else { format!("in {}", row.item.cell) };
        return rejected(reject::ITEM_NOT_IN_CELL, format!("item {} is {now}, not in {from}", m.item_id));
    }
    shelf::move_item_cell(conn, m.item_id, &row.item.cell, &to)?;
    shelf::touch_order(conn, &who.pickup_point_id, m.order_id)?;
    Ok(Ok(()))
}

pub(super) fn apply_expired(
    conn: &Connection,
    who: &Pusher,
    op: &PushOp,
    items: &[ExpiredItem],
) -> Result<Result<(), Rejection>> {
    let point = &who.pickup_point_id;
    if items.is_empty() {
        return rejected(reject::INVALID_OP, "nothing is moved off the shelf".to_owned());
    }
    let (mut labels, mut named) = (BTreeSet::new(), BTreeSet::new());
    let mut by_order: BTreeMap<&OrderId, Vec<&ExpiredItem>> = BTreeMap::new();
    for item in items {
        if !labels.insert(&item.return_id) || !named.insert(&item.item_id) {
            return rejected(
                reject::INVALID_OP,
                format!("item {} or its return label {} is listed twice", item.item_id, item.return_id),
            );
        }
        if let Some(unit) = custody::get_unit(conn, &item.return_id)? {
            let of = unit.item_id.unwrap_or_else(|| "an unmatched item".to_owned());
            return rejected(
                reject::INVALID_OP,
                format!("return label {} was used before (for {of}); each unit needs a new label", item.return_id),
            );
        }
        by_order.entry(&item.order_id).or_default().push(item);
    }
    let mut to_cancel = Vec::new();
    for (order_id, listed) in &by_order {
        let order = orders::get_order_facts(conn, order_id)?.filter(|o| o.pickup_point_id == point.as_str());
        let Some(order) = order else {
            return rejected(reject::ORDER_NOT_FOUND, format!("order {order_id} is not an order of this pickup point"));
        };
        let places = shelf::list_item_places(conn, order_id)?;
        for item in listed {
            let Some((_, place)) = places.iter().find(|(id, _)| id == &item.item_id) else {
                return rejected(
                    reject::ITEM_NOT_IN_ORDER,
                    format!("item {} is not in order {order_id}", item.item_id),
                );
            };
            let why = match place {
                ItemPlace::OnShelf | ItemPlace::Damaged => continue,
                ItemPlace::Missing => "was recorded missing at receiving",
                ItemPlace::Expected => "has not been received yet",
            };
            return rejected(
                reject::INVALID_OP,
                format!("item {} of order {order_id} {why}: it is not at the point", item.item_id),
            );
        }
        let left: Vec<&str> = places
            .iter()
            .filter(|(id, place)| *place == ItemPlace::OnShelf && !listed.iter().any(|l| &l.item_id == id))
            .map(|(id, _)| id.as_str())
            .collect();
        if !left.is_empty() {
            return rejected(
                reject::INVALID_OP,
                format!(
                    "order {order_id} leaves the shelf whole, but items {} on the shelf are not listed",
                    left.join(", ")
                ),
            );
        }
        match order.state {
            OrderState::Ready => to_cancel.push(*order_id),
            OrderState::Issued => return rejected(reject::ORDER_CLOSED, format!("order {order_id} was issued")),
            OrderState::Cancelled => {
                if let Some((reason, by)) = shelf::get_cancel_reason(conn, order_id)? {
                    let by = by.unwrap_or_default();
                    return rejected(
                        reject::ORDER_CLOSED,
                        format!("order {order_id} left the shelf before ({reason}, op {by})"),
                    );
                }
            }
        }
        if shelf::get_arrived(conn, order_id)?.is_none() {
            return rejected(reject::INVALID_OP, format!("order {order_id} has not arrived at the point yet"));
        }
    }

    let op_id = op.op_id.to_string();
    for order_id in to_cancel {
        shelf::cancel_unredeemed(conn, point, order_id, &op_id)?;
    }
    for item in items {
        let unit = NewUnit {
            id: &item.return_id,
            pickup_point_id: point,
            item_id: Some(item.item_id.as_str()),
            source: ReturnSource::Unredeemed,
        };
        custody::insert_unit(conn, &unit, &Holder::Point, op_ref(op, &op_id))?;
    }
    Ok(Ok(()))
}
