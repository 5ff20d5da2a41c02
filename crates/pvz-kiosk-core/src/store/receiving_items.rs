//! The expected items of a receiving session, copied from the shipment and the order cache when it
//! opened (the cache may be rebuilt meanwhile), and what became of each: waiting, placed, damaged.

use super::item_facts::{self, ItemFacts};
use super::{corrupt, StoreError};
use pvz_domain::ItemId;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceivedState {
    Waiting,
    /// In `cell` as scanned (the scan's time is kept in the row).
    Placed {
        cell: String,
        proposed_cell: String,
    },
    Damaged {
        description: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivingItemRow {
    pub item: ItemFacts,
    pub state: ReceivedState,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReceivingItemRow> {
    let state: String = r.get(item_facts::COLUMNS)?;
    type Text = Option<String>;
    let (cell, proposed, placed_at, damage): (Text, Text, Text, Text) =
        (r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?);
    let state = match (state.as_str(), cell, proposed, placed_at, damage) {
        ("waiting", ..) => ReceivedState::Waiting,
        ("placed", Some(cell), proposed, Some(_), _) => {
            ReceivedState::Placed { proposed_cell: proposed.unwrap_or_else(|| cell.clone()), cell }
        }
        ("damaged", _, _, _, Some(description)) => ReceivedState::Damaged { description },
        (other, ..) => return Err(corrupt(format!("receiving item state {other:?}"))),
    };
    Ok(ReceivingItemRow { item: ItemFacts::from_row(r)?, state })
}

const COLUMNS: &str = "item_id, order_id, short_code, buyer, name, variant, category, barcode, mark, state, cell,
    proposed_cell, placed_at, damage";

/// Copies the shipment's items into the session, named from the order cache (by the item id when
/// the order is not cached). Returns how many are expected.
pub fn insert_expected_items(conn: &Connection, receiving_id: &str, shipment_id: &str) -> Result<usize, StoreError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO receiving_items (receiving_id, position, item_id, order_id, short_code, buyer, name, variant,
                 category, barcode, mark)
             SELECT ?1, si.position, si.item_id, si.order_id, COALESCE(o.short_code, ''), COALESCE(o.buyer, ''),
                 COALESCE(oi.name, si.item_id), COALESCE(oi.variant, ''), COALESCE(oi.category, ''), oi.barcode,
                 oi.mark
             FROM shipment_items si
             LEFT JOIN order_items oi ON oi.item_id = si.item_id
             LEFT JOIN orders o ON o.order_id = si.order_id
             WHERE si.shipment_id = ?2",
        )?
        .execute(params![receiving_id, shipment_id])?)
}

/// The session's items in the shipment's order.
pub fn list_receiving_items(conn: &Connection, receiving_id: &str) -> Result<Vec<ReceivingItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM receiving_items WHERE receiving_id = ?1 ORDER BY position, item_id"
    ))?;
    let rows = stmt.query_map([receiving_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn place_item(
    conn: &Connection,
    receiving_id: &str,
    item_id: &ItemId,
    cell: &str,
    proposed_cell: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE receiving_items SET state = 'placed', cell = ?3, proposed_cell = ?4, placed_at = ?5, damage = NULL
         WHERE receiving_id = ?1 AND item_id = ?2",
    )?
    .execute(params![receiving_id, item_id.as_str(), cell, proposed_cell, at])?;
    Ok(())
}

/// Records the item as damaged (taking it out of its cell if it was placed in this session).
pub fn mark_damaged(
    conn: &Connection,
    receiving_id: &str,
    item_id: &ItemId,
    description: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE receiving_items SET state = 'damaged', damage = ?3, cell = NULL, proposed_cell = NULL,
             placed_at = NULL
         WHERE receiving_id = ?1 AND item_id = ?2",
    )?
    .execute(params![receiving_id, item_id.as_str(), description])?;
    Ok(())
}

/// How the item's latest closed receiving here recorded it damaged, if it did.
pub fn find_damage(conn: &Connection, item_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT ri.damage FROM receiving_items ri JOIN receivings r ON r.receiving_id = ri.receiving_id
             WHERE ri.item_id = ?1 AND r.closed_at IS NOT NULL ORDER BY r.closed_at DESC LIMIT 1",
        )?
        .query_row([item_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}
