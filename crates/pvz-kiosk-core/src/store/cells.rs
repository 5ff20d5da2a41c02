//! The point's cells (ячейки) as the server listed them (a cache table, replaced as a whole by each
//! `set_cells` change and cleared on a sync reset). Labels are kept in their canonical form.

use super::StoreError;
use pvz_domain::{Cell, CellLabel};
use pvz_protocol::CellWire;
use rusqlite::{params, Connection};

/// Replaces the list. A label that does not parse is skipped (and logged): a cell nobody can scan
/// is no cell, and one bad row must not stop the feed.
pub fn replace_cells(conn: &Connection, cells: &[CellWire]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM cells", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO cells (label, position, capacity) VALUES (?1, ?2, ?3)
         ON CONFLICT (label) DO NOTHING",
    )?;
    for (position, cell) in cells.iter().enumerate() {
        match CellLabel::parse(&cell.label) {
            Ok(label) => {
                insert.execute(params![label.to_string(), position as i64, cell.capacity])?;
            }
            Err(e) => tracing::warn!(label = %cell.label, error = %e, "skipping a cell the server sent"),
        }
    }
    Ok(())
}

/// Every cell, in the server's order.
pub fn list_cells(conn: &Connection) -> Result<Vec<Cell>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT label, capacity FROM cells ORDER BY position")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    rows.map(|row| {
        let (label, capacity) = row?;
        let label = CellLabel::parse(&label).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Cell { label, capacity })
    })
    .collect()
}

pub fn delete_all_cells(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM cells", [])?;
    Ok(())
}
