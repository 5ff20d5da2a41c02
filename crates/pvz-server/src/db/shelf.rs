//! Where an order's items are on the point's shelves (`orders`, `order_items`): the cell each item
//! sits in, when the order arrived, and an order leaving the shelf unredeemed. Every change stamps
//! the order with a fresh feed version of its point, so the point's kiosks pull it.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::db::{orders, points};
use crate::error::{Result, ServerError};
use pvz_domain::{CellLabel, ItemId, OrderId, PickupPointId, ShortCode};

/// Why an order was cancelled, as `orders.cancel_reason` keeps it.
pub const CANCEL_UNREDEEMED: &str = "unredeemed";

/// Puts the item into `cell` (canonical label).
pub fn set_item_cell(conn: &Connection, item: &ItemId, cell: &CellLabel) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE order_items SET cell = ?2 WHERE id = ?1")?
        .execute(params![item.as_str(), cell.to_string()])?;
    if changed != 1 {
        return Err(ServerError::Internal(format!("item {item} vanished while placing it")));
    }
    Ok(())
}

/// Moves the item out of the cell the caller found it in (`from`, as stored) into `to` (canonical
/// label). An item moved elsewhere since it was read is [`ServerError::Conflict`]: two counters
/// moving one item are judged one after the other, not both applied with the last one winning.
pub fn move_item_cell(conn: &Connection, item: &ItemId, from: &str, to: &CellLabel) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE order_items SET cell = ?3 WHERE id = ?1 AND cell = ?2")?
        .execute(params![item.as_str(), from, to.to_string()])?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!("item {item} is no longer in {from}: it was moved meanwhile")));
    }
    Ok(())
}

/// Records the order's arrival at `at` unless it arrived before (a later item of it keeps the first
/// arrival: the storage period counts from when the buyer could first collect).
pub fn set_arrived(conn: &Connection, order: &OrderId, at: &str) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET arrived_at = ?2 WHERE id = ?1 AND arrived_at IS NULL")?
        .execute(params![order.as_str(), at])?;
    Ok(())
}

/// Records the arrival of an order still waiting that has not arrived (found after receiving
/// recorded it missing), as the caller found it: one that arrived, or was issued or cancelled, since
/// is [`ServerError::Conflict`], so its storage period keeps its start.
pub fn set_found_arrived(conn: &Connection, order: &OrderId, at: &str) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE orders SET arrived_at = ?2 WHERE id = ?1 AND arrived_at IS NULL AND status = 'ready'")?
        .execute(params![order.as_str(), at])?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!("order {order} arrived, or left the point, meanwhile")));
    }
    Ok(())
}

/// Sets the arrival time whatever it was (the demo's order that waited too long, an admin fix).
pub fn reset_arrived(conn: &Connection, order: &OrderId, at: &str) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET arrived_at = ?2 WHERE id = ?1")?.execute(params![order.as_str(), at])?;
    Ok(())
}

/// The order's arrival time; `None` when it has not arrived (or does not exist).
pub fn get_arrived(conn: &Connection, order: &OrderId) -> Result<Option<String>> {
    let at = conn
        .prepare_cached("SELECT arrived_at FROM orders WHERE id = ?1")?
        .query_row([order.as_str()], |r| r.get::<Option<String>>(0))
        .optional()?;
    Ok(at.flatten())
}

/// Whether an order still waiting at `point` holds this short code (a kiosk finds an order by it,
/// so one code names one waiting order at a point).
pub fn short_code_waiting(conn: &Connection, point: &PickupPointId, code: &ShortCode) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM orders WHERE pickup_point_id = ?1 AND short_code = ?2 AND status = 'ready' LIMIT 1",
        )?
        .exists(params![point.as_str(), code.as_str()])?)
}

/// Stamps the order with a fresh feed version of `point`, so its kiosks pull its new cells or arrival.
pub fn touch_order(conn: &Connection, point: &PickupPointId, order: &OrderId) -> Result<()> {
    let version = points::bump_version(conn, point, 1)?;
    conn.prepare_cached("UPDATE orders SET version = ?2 WHERE id = ?1")?.execute(params![order.as_str(), version])?;
    Ok(())
}

/// Where an item of an order is, as receiving left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemPlace {
    /// Placed into a cell at receiving, or its order was added straight to the shelf.
    OnShelf,
    /// Arrived damaged: at the point, in no cell.
    Damaged,
    /// Recorded missing at receiving: it never reached the point.
    Missing,
    /// Its shipment has not been received yet.
    Expected,
}

/// Each item of the order (in order) and where it is.
pub fn list_item_places(conn: &Connection, order: &OrderId) -> Result<Vec<(ItemId, ItemPlace)>> {
    // A shipment brings new orders only, so an item is in one shipment at most; an item of an order
    // added straight to the shelf is in none.
    let mut stmt = conn.prepare_cached(
        "SELECT oi.id, CASE WHEN si.item_id IS NULL THEN 'placed' ELSE COALESCE(si.outcome, 'expected') END
         FROM order_items oi LEFT JOIN shipment_items si ON si.item_id = oi.id
         WHERE oi.order_id = ?1 ORDER BY oi.position",
    )?;
    let rows = stmt
        .query_map([order.as_str()], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, place)| {
            let id =
                ItemId::parse(&id).map_err(|_| ServerError::Internal(format!("stored item id {id:?} is invalid")))?;
            let place = match place.as_str() {
                "placed" => ItemPlace::OnShelf,
                "damaged" => ItemPlace::Damaged,
                "missing" => ItemPlace::Missing,
                "expected" => ItemPlace::Expected,
                other => return Err(ServerError::Internal(format!("item {id} has outcome {other:?}"))),
            };
            Ok((id, place))
        })
        .collect()
}

/// Cancels the order as unredeemed (not collected within the storage period) by `op_id`, at a fresh
/// feed version: its kiosks get a `CancelOrder` change. Only a ready order: one issued or cancelled
/// since the caller read it is [`ServerError::Conflict`] (see `orders::set_order_state`).
pub fn cancel_unredeemed(conn: &Connection, point: &PickupPointId, order: &OrderId, op_id: &str) -> Result<()> {
    let version = points::bump_version(conn, point, 1)?;
    let changed = conn
        .prepare_cached(
            "UPDATE orders SET status = 'cancelled', cancel_reason = ?2, closed_op_id = ?3, version = ?4
             WHERE id = ?1 AND pickup_point_id = ?5 AND status = 'ready'",
        )?
        .execute(params![order.as_str(), CANCEL_UNREDEEMED, op_id, version, point.as_str()])?;
    if changed != 1 {
        return Err(orders::state_moved(conn, point, order, orders::OrderState::Ready)?);
    }
    Ok(())
}

/// Why the order was cancelled and by which op, when it was cancelled with a reason.
pub fn get_cancel_reason(conn: &Connection, order: &OrderId) -> Result<Option<(String, Option<String>)>> {
    let row = conn
        .prepare_cached("SELECT cancel_reason, closed_op_id FROM orders WHERE id = ?1 AND cancel_reason IS NOT NULL")?
        .query_row([order.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row)
}
