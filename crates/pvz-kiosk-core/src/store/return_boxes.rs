//! Return boxes (коробки возвратов): at most one open box being filled; a closed box keeps its count
//! and its op, and waits for a driver until a handover names it.

use super::StoreError;
use pvz_domain::ReturnBoxId;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnBoxRow {
    pub box_id: ReturnBoxId,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub item_count: Option<u32>,
    pub handover_id: Option<String>,
}

const COLUMNS: &str = "box_id, created_at, closed_at, item_count, handover_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReturnBoxRow> {
    let id: String = r.get(0)?;
    Ok(ReturnBoxRow {
        box_id: ReturnBoxId::parse(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
        })?,
        created_at: r.get(1)?,
        closed_at: r.get(2)?,
        item_count: r.get(3)?,
        handover_id: r.get(4)?,
    })
}

pub fn get_return_box(conn: &Connection, box_id: &ReturnBoxId) -> Result<Option<ReturnBoxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM return_boxes WHERE box_id = ?1"))?;
    Ok(stmt.query_row([box_id.as_str()], from_row).optional()?)
}

pub fn get_open_return_box(conn: &Connection) -> Result<Option<ReturnBoxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM return_boxes WHERE closed_at IS NULL"))?;
    Ok(stmt.query_row([], from_row).optional()?)
}

pub fn insert_return_box(conn: &Connection, box_id: &ReturnBoxId, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO return_boxes (box_id, created_at) VALUES (?1, ?2)")?
        .execute(params![box_id.as_str(), at])?;
    Ok(())
}

pub fn mark_return_box_closed(
    conn: &Connection,
    box_id: &ReturnBoxId,
    item_count: u32,
    op_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE return_boxes SET closed_at = ?2, item_count = ?3, close_op_id = ?4
         WHERE box_id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![box_id.as_str(), at, item_count, op_id])?;
    Ok(())
}

/// Closed boxes no driver has taken yet, in the order they were closed.
pub fn list_boxes_awaiting_handover(conn: &Connection) -> Result<Vec<ReturnBoxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM return_boxes WHERE closed_at IS NOT NULL AND handover_id IS NULL
         ORDER BY closed_at, box_id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn list_boxes_of_handover(conn: &Connection, handover_id: &str) -> Result<Vec<ReturnBoxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM return_boxes WHERE handover_id = ?1 ORDER BY closed_at, box_id"
    ))?;
    let rows = stmt.query_map([handover_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn set_return_box_handed_over(
    conn: &Connection,
    box_id: &ReturnBoxId,
    handover_id: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE return_boxes SET handover_id = ?2 WHERE box_id = ?1 AND closed_at IS NOT NULL AND handover_id IS NULL",
    )?
    .execute(params![box_id.as_str(), handover_id])?;
    Ok(())
}
