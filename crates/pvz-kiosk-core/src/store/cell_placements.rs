//! Where this kiosk put an item (closing a receiving, or a move), with the op that tells the server.
//! The newest unsettled placement is the item's cell until the feed sends its order again after the
//! server answered that op: from then on the feed is the truth, and the placement is settled. The
//! rows stay as the item's history (and its local arrival time).

use super::StoreError;
use pvz_domain::{ItemId, OrderId};
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementSource {
    Received,
    Moved,
}

impl PlacementSource {
    fn as_str(self) -> &'static str {
        match self {
            PlacementSource::Received => "received",
            PlacementSource::Moved => "moved",
        }
    }
}

pub struct NewPlacement<'a> {
    pub item_id: &'a ItemId,
    pub order_id: &'a OrderId,
    pub cell: &'a str,
    pub placed_at: &'a str,
    pub source: PlacementSource,
    pub op_id: &'a str,
}

pub fn insert_placement(conn: &Connection, p: &NewPlacement<'_>) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO cell_placements (item_id, order_id, cell, placed_at, source, op_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![p.item_id.as_str(), p.order_id.as_str(), p.cell, p.placed_at, p.source.as_str(), p.op_id])?;
    Ok(())
}

/// The feed sent `order_id` again: placements whose op the server has answered are in it now.
pub fn settle_answered(conn: &Connection, order_id: &OrderId) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE cell_placements SET settled = 1
         WHERE order_id = ?1 AND settled = 0
           AND op_id IN (SELECT op_id FROM outbox WHERE state <> 'pending')",
    )?
    .execute([order_id.as_str()])?;
    Ok(())
}

/// SQL for an order item's current cell: its newest unsettled placement, else the cached cell.
/// `item` names the `order_items` row in the caller's query.
pub fn effective_cell_sql(item: &str) -> String {
    format!(
        "COALESCE((SELECT p.cell FROM cell_placements p WHERE p.item_id = {item}.item_id AND p.settled = 0
                   ORDER BY p.placement_id DESC LIMIT 1), {item}.cell)"
    )
}
