//! `cells`: the storage cells (ячейки) of a pickup point, labels in canonical form (`A-07`), each with
//! its capacity (0: out of use). The list is replaced as a whole and stamped with a fresh feed version
//! of the point (`pickup_points.cells_version`), so its kiosks pull it as one `SetCells` change.

use crate::db::points;
use crate::db::sql::{params, Connection};
use crate::error::{Result, ServerError};
use pvz_domain::{Cell, CellLabel, PickupPointId};
use pvz_protocol::CellWire;

/// Replaces the point's cells (already parsed, no label twice) at a fresh feed version.
pub fn set_cells(conn: &Connection, point: &PickupPointId, cells: &[Cell]) -> Result<()> {
    let version = points::bump_version(conn, point, 1)?;
    conn.execute("DELETE FROM cells WHERE pickup_point_id = ?1", [point.as_str()])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO cells (pickup_point_id, label, position, capacity) VALUES (?1, ?2, ?3, ?4)")?;
    for (position, cell) in cells.iter().enumerate() {
        insert.execute(params![point.as_str(), cell.label.to_string(), position as i64, i64::from(cell.capacity)])?;
    }
    conn.execute("UPDATE pickup_points SET cells_version = ?2 WHERE id = ?1", params![point.as_str(), version])?;
    Ok(())
}

/// The point's cells in the order they were set.
pub fn list_cells(conn: &Connection, point: &PickupPointId) -> Result<Vec<Cell>> {
    let mut stmt =
        conn.prepare_cached("SELECT label, capacity FROM cells WHERE pickup_point_id = ?1 ORDER BY position")?;
    let rows = stmt
        .query_map([point.as_str()], |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    rows.into_iter()
        .map(|(label, capacity)| {
            let bad = || ServerError::Internal(format!("stored cell {label:?} of {point} is invalid"));
            Ok(Cell {
                label: CellLabel::parse(&label).map_err(|_| bad())?,
                capacity: u32::try_from(capacity).map_err(|_| bad())?,
            })
        })
        .collect()
}

/// The cells as the feed sends them.
pub fn list_cells_wire(conn: &Connection, point: &PickupPointId) -> Result<Vec<CellWire>> {
    Ok(list_cells(conn, point)?
        .into_iter()
        .map(|c| CellWire { label: c.label.to_string(), capacity: c.capacity })
        .collect())
}
