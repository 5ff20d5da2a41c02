//! Handovers of closed boxes to a logistics driver (акт передачи), with the driver's name as printed.

use super::StoreError;
use pvz_domain::EmployeeId;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxHandoverRow {
    pub handover_id: String,
    pub driver_id: EmployeeId,
    pub driver_name: String,
    pub handed_at: String,
    pub op_id: String,
}

pub fn get_box_handover(conn: &Connection, handover_id: &str) -> Result<Option<BoxHandoverRow>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT handover_id, driver_id, driver_name, handed_at, op_id FROM box_handovers WHERE handover_id = ?1",
        )?
        .query_row([handover_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(handover_id, driver, driver_name, handed_at, op_id)| {
        Ok(BoxHandoverRow {
            handover_id,
            driver_id: EmployeeId::parse(&driver).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            driver_name,
            handed_at,
            op_id,
        })
    })
    .transpose()
}

pub fn insert_box_handover(conn: &Connection, row: &BoxHandoverRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO box_handovers (handover_id, driver_id, driver_name, handed_at, op_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![row.handover_id, row.driver_id.as_str(), row.driver_name, row.handed_at, row.op_id])?;
    Ok(())
}
