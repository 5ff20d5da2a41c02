//! The scan log: every code the counter received, refused ones too, with who was on duty and what
//! it matched. Append-only; the audit trail reads an item's scans from it.

use super::StoreError;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRow {
    pub scanned_at: String,
    /// The normalized text.
    pub text: String,
    /// What the text was classified as (`ean13`, `pickup_token`…).
    pub kind: String,
    pub operator: Option<String>,
    /// The notice kind of a scan that worked, or the error kind of one refused.
    pub outcome: String,
    pub item_id: Option<String>,
    pub return_id: Option<String>,
    pub order_id: Option<String>,
}

pub fn insert_scan(conn: &Connection, row: &ScanRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO scan_log (scanned_at, text, kind, operator, outcome, item_id, return_id, order_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        row.scanned_at,
        row.text,
        row.kind,
        row.operator,
        row.outcome,
        row.item_id,
        row.return_id,
        row.order_id
    ])?;
    Ok(())
}

/// The scans of an item, oldest first: those that matched it, and those that read one of its codes
/// or one of its returned units' labels.
pub fn list_item_scans(
    conn: &Connection,
    item_id: &str,
    codes: &[String],
    return_ids: &[String],
) -> Result<Vec<ScanRow>, StoreError> {
    let codes = serde_json::to_string(codes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let return_ids = serde_json::to_string(return_ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT scanned_at, text, kind, operator, outcome, item_id, return_id, order_id FROM scan_log
         WHERE item_id = ?1 OR text IN (SELECT value FROM json_each(?2))
            OR return_id IN (SELECT value FROM json_each(?3))
         ORDER BY scan_id",
    )?;
    let rows = stmt.query_map(params![item_id, codes, return_ids], |r| {
        Ok(ScanRow {
            scanned_at: r.get(0)?,
            text: r.get(1)?,
            kind: r.get(2)?,
            operator: r.get(3)?,
            outcome: r.get(4)?,
            item_id: r.get(5)?,
            return_id: r.get(6)?,
            order_id: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
