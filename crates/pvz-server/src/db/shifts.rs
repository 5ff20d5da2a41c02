//! `shifts`: shifts (смены) opened and closed at a point's kiosks, as their ops told: the device,
//! who opened and who closed it (the ops' operators), when (the counter's clock), and the shift
//! report the kiosk closed it with.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;
use pvz_domain::{DeviceId, PickupPointId, ShiftReport};

/// A shift as stored; `closed_*` and `report` are set once it is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub id: String,
    pub pickup_point_id: String,
    pub device_id: String,
    pub opened_by: Option<String>,
    pub opened_at: String,
    pub opened_op_id: String,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub closed_op_id: Option<String>,
    pub report: Option<ShiftReport>,
}

/// The op that opened or closed a shift: its id, operator and time.
#[derive(Debug, Clone, Copy)]
pub struct ShiftOp<'a> {
    pub op_id: &'a str,
    pub operator: Option<&'a str>,
    pub at: &'a str,
}

pub fn insert_shift(
    conn: &Connection,
    id: &str,
    point: &PickupPointId,
    device: &DeviceId,
    opened: ShiftOp<'_>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO shifts (id, pickup_point_id, device_id, opened_by, opened_at, opened_op_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, point.as_str(), device.as_str(), opened.operator, opened.at, opened.op_id],
    )?;
    Ok(())
}

/// Closes an open shift; returns false when it was not open (unknown, or closed before).
pub fn close_shift(conn: &Connection, id: &str, closed: ShiftOp<'_>, report: &ShiftReport) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE shifts SET closed_by = ?2, closed_at = ?3, closed_op_id = ?4, report = ?5
         WHERE id = ?1 AND closed_op_id IS NULL",
        params![id, closed.operator, closed.at, closed.op_id, serde_json::to_string(report)?],
    )?;
    Ok(changed == 1)
}

const COLUMNS: &str = "id, pickup_point_id, device_id, opened_by, opened_at, opened_op_id, closed_by, closed_at,
                       closed_op_id, report";

fn shift_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<(ShiftRow, Option<String>)> {
    Ok((
        ShiftRow {
            id: r.get(0)?,
            pickup_point_id: r.get(1)?,
            device_id: r.get(2)?,
            opened_by: r.get(3)?,
            opened_at: r.get(4)?,
            opened_op_id: r.get(5)?,
            closed_by: r.get(6)?,
            closed_at: r.get(7)?,
            closed_op_id: r.get(8)?,
            report: None,
        },
        r.get(9)?,
    ))
}

fn with_report((mut row, report): (ShiftRow, Option<String>)) -> Result<ShiftRow> {
    row.report = report.map(|text| serde_json::from_str(&text)).transpose()?;
    Ok(row)
}

pub fn get_shift(conn: &Connection, id: &str) -> Result<Option<ShiftRow>> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM shifts WHERE id = ?1"))?
        .query_row([id], shift_row)
        .optional()?;
    row.map(with_report).transpose()
}

/// The point's shifts, the latest opened first.
pub fn list_shifts(conn: &Connection, point: &PickupPointId) -> Result<Vec<ShiftRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM shifts WHERE pickup_point_id = ?1 ORDER BY opened_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([point.as_str()], shift_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    rows.into_iter().map(with_report).collect()
}
