//! Смены of this device: at most one open (the schema refuses a second); the ops of a shift are
//! the outbox rows from its ShiftOpened `seq` to its ShiftClosed `seq`, and the report is fixed as
//! JSON at closing.

use super::StoreError;
use pvz_domain::ShiftReport;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub shift_id: String,
    /// `None` on a counter that works without login.
    pub opened_by: Option<String>,
    pub opened_at: String,
    pub opened_seq: i64,
    pub closed: Option<ClosedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedRow {
    pub closed_by: Option<String>,
    pub closed_at: String,
    pub closed_seq: i64,
    pub report: ShiftReport,
}

const COLUMNS: &str = "shift_id, opened_by, opened_at, opened_seq, closed_by, closed_at, closed_seq, report";

fn shift_row(r: &Row<'_>) -> rusqlite::Result<(ShiftRow, Option<String>)> {
    let closed_at: Option<String> = r.get(5)?;
    let report: Option<String> = r.get(7)?;
    let closed = match (closed_at, r.get::<_, Option<i64>>(6)?) {
        (Some(closed_at), Some(closed_seq)) => {
            Some(ClosedRow { closed_by: r.get(4)?, closed_at, closed_seq, report: ShiftReport::default() })
        }
        _ => None,
    };
    Ok((
        ShiftRow { shift_id: r.get(0)?, opened_by: r.get(1)?, opened_at: r.get(2)?, opened_seq: r.get(3)?, closed },
        report,
    ))
}

fn parse((mut row, report): (ShiftRow, Option<String>)) -> Result<ShiftRow, StoreError> {
    if let (Some(closed), Some(json)) = (row.closed.as_mut(), report) {
        closed.report = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("shift report: {e}")))?;
    }
    Ok(row)
}

pub fn get_open_shift(conn: &Connection) -> Result<Option<ShiftRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM shifts WHERE closed_at IS NULL");
    conn.prepare_cached(&sql)?.query_row([], shift_row).optional()?.map(parse).transpose()
}

pub fn get_shift(conn: &Connection, shift_id: &str) -> Result<Option<ShiftRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM shifts WHERE shift_id = ?1");
    conn.prepare_cached(&sql)?.query_row([shift_id], shift_row).optional()?.map(parse).transpose()
}

/// The last closed shift whose report the manager has not dismissed yet.
pub fn get_undismissed_closed_shift(conn: &Connection) -> Result<Option<ShiftRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM shifts WHERE closed_at IS NOT NULL AND report_dismissed = 0
         ORDER BY closed_seq DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?.query_row([], shift_row).optional()?.map(parse).transpose()
}

pub fn insert_shift(conn: &Connection, row: &ShiftRow) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO shifts (shift_id, opened_by, opened_at, opened_seq) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![row.shift_id, row.opened_by, row.opened_at, row.opened_seq])?;
    Ok(())
}

pub fn close_shift(conn: &Connection, shift_id: &str, closed: &ClosedRow) -> Result<(), StoreError> {
    let report = serde_json::to_string(&closed.report).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "UPDATE shifts SET closed_by = ?2, closed_at = ?3, closed_seq = ?4, report = ?5
         WHERE shift_id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![shift_id, closed.closed_by, closed.closed_at, closed.closed_seq, report])?;
    Ok(())
}

pub fn dismiss_shift_reports(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE shifts SET report_dismissed = 1 WHERE closed_at IS NOT NULL AND report_dismissed = 0")?
        .execute([])?;
    Ok(())
}
