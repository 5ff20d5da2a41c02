//! Приёмка sessions: open while items are scanned into cells (at most one, surviving a restart),
//! then closed with their op. A cancelled one is deleted with its rows; a closed one never changes.

use super::{corrupt, StoreError};
use pvz_domain::{CellLabel, ItemId};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// The item scanned and waiting for its cell label, with the cell the kiosk proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPlacement {
    pub item_id: ItemId,
    pub proposed: CellLabel,
    /// The proposed cell already holds the buyer's items.
    pub with_buyer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivingRow {
    pub receiving_id: String,
    pub shipment_id: String,
    pub shipment_code: String,
    pub expected_at: Option<String>,
    pub opened_at: String,
    pub pending: Option<PendingPlacement>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReceivingRow> {
    let pending = match (r.get::<_, Option<String>>(5)?, r.get::<_, Option<String>>(6)?) {
        (Some(item), Some(cell)) => Some(PendingPlacement {
            item_id: ItemId::parse(&item).map_err(corrupt)?,
            proposed: CellLabel::parse(&cell).map_err(corrupt)?,
            with_buyer: r.get(7)?,
        }),
        _ => None,
    };
    Ok(ReceivingRow {
        receiving_id: r.get(0)?,
        shipment_id: r.get(1)?,
        shipment_code: r.get(2)?,
        expected_at: r.get(3)?,
        opened_at: r.get(4)?,
        pending,
    })
}

pub fn insert_receiving(conn: &Connection, row: &ReceivingRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO receivings (receiving_id, shipment_id, shipment_code, expected_at, opened_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![row.receiving_id, row.shipment_id, row.shipment_code, row.expected_at, row.opened_at])?;
    Ok(())
}

/// The open session, if any (the schema allows one).
pub fn get_open_receiving(conn: &Connection) -> Result<Option<ReceivingRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT receiving_id, shipment_id, shipment_code, expected_at, opened_at, pending_item_id, pending_cell,
                 pending_with_buyer
             FROM receivings WHERE closed_at IS NULL",
        )?
        .query_row([], from_row)
        .optional()?)
}

/// Whether a session on this shipment was closed here (the feed may not say so yet).
pub fn was_received_here(conn: &Connection, shipment_id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM receivings WHERE shipment_id = ?1 AND closed_at IS NOT NULL)")?
        .query_row([shipment_id], |r| r.get(0))?)
}

pub fn set_pending(
    conn: &Connection,
    receiving_id: &str,
    pending: Option<&PendingPlacement>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE receivings SET pending_item_id = ?2, pending_cell = ?3, pending_with_buyer = ?4
         WHERE receiving_id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![
        receiving_id,
        pending.map(|p| p.item_id.as_str()),
        pending.map(|p| p.proposed.to_string()),
        pending.is_some_and(|p| p.with_buyer),
    ])?;
    Ok(())
}

pub fn close_receiving(conn: &Connection, receiving_id: &str, at: &str, op_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE receivings SET closed_at = ?2, op_id = ?3, pending_item_id = NULL, pending_cell = NULL
         WHERE receiving_id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![receiving_id, at, op_id])?;
    Ok(())
}

/// Drops an open session with its items, codes and photo records (a cancelled receiving).
pub fn delete_open_receiving(conn: &Connection, receiving_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM receivings WHERE receiving_id = ?1 AND closed_at IS NULL")?
        .execute([receiving_id])?;
    Ok(())
}
