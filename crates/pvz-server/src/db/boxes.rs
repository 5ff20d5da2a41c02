//! `return_boxes`: boxes of returned units closed at a point, and their handover to a logistics
//! driver. A box id is used once across the network.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{EmployeeId, PickupPointId, ReturnBoxId};

/// A box as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxRow {
    pub id: ReturnBoxId,
    pub pickup_point_id: String,
    pub items: i64,
    pub closed_at: String,
    /// Set once handed to a driver.
    pub handover_id: Option<String>,
    pub driver_id: Option<String>,
}

pub fn get_box(conn: &Connection, id: &ReturnBoxId) -> Result<Option<BoxRow>> {
    let row = conn
        .prepare_cached(
            "SELECT pickup_point_id, items, closed_at, handover_id, driver_id FROM return_boxes WHERE id = ?1",
        )?
        .query_row([id.as_str()], |r| {
            Ok(BoxRow {
                id: id.clone(),
                pickup_point_id: r.get(0)?,
                items: r.get(1)?,
                closed_at: r.get(2)?,
                handover_id: r.get(3)?,
                driver_id: r.get(4)?,
            })
        })
        .optional()?;
    Ok(row)
}

pub fn insert_box(
    conn: &Connection,
    id: &ReturnBoxId,
    point: &PickupPointId,
    items: usize,
    op_id: &str,
    closed_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO return_boxes (id, pickup_point_id, items, closed_op_id, closed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.as_str(), point.as_str(), items as i64, op_id, closed_at],
    )?;
    Ok(())
}

/// Records the box as handed to the driver; it must not have been handed over before: a box another
/// handover took since the caller read it is [`ServerError::Conflict`].
pub fn set_box_handed_over(
    conn: &Connection,
    id: &ReturnBoxId,
    handover_id: &str,
    driver: &EmployeeId,
    at: &str,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE return_boxes SET handover_id = ?2, driver_id = ?3, handed_over_at = ?4
         WHERE id = ?1 AND handover_id IS NULL",
        params![id.as_str(), handover_id, driver.as_str(), at],
    )?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!("box {id} was handed over already")));
    }
    Ok(())
}
