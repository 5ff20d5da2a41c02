//! Completed выдачи: one row per issued order, the source of receipts and the recent list.

use super::StoreError;
use pvz_domain::{Kopecks, OrderId};
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRow {
    pub order_id: String,
    pub op_id: String,
    pub issued_at: String,
    pub collected: Kopecks,
    pub refunded: Kopecks,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<IssueRow> {
    Ok(IssueRow {
        order_id: r.get(0)?,
        op_id: r.get(1)?,
        issued_at: r.get(2)?,
        collected: Kopecks(r.get(3)?),
        refunded: Kopecks(r.get(4)?),
    })
}

pub fn get_issue(conn: &Connection, order_id: &OrderId) -> Result<Option<IssueRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT order_id, op_id, issued_at, collected_kopecks, refunded_kopecks FROM issues WHERE order_id = ?1",
    )?;
    Ok(stmt.query_row([order_id.as_str()], from_row).optional()?)
}

pub fn insert_issue(conn: &Connection, issue: &IssueRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO issues (order_id, op_id, issued_at, collected_kopecks, refunded_kopecks) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![issue.order_id, issue.op_id, issue.issued_at, issue.collected.0, issue.refunded.0])?;
    Ok(())
}

pub fn list_recent_issues(conn: &Connection, limit: usize) -> Result<Vec<IssueRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT order_id, op_id, issued_at, collected_kopecks, refunded_kopecks FROM issues
         ORDER BY issued_at DESC, rowid DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
